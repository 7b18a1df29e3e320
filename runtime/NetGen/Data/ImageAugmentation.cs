using System;

namespace NetGen.Data;

/// <summary>
/// Random label-preserving changes to one image (CHW floats), drawn from a <see cref="SeededRandom"/> seeded per sample:
/// a shift of up to <see cref="MaxShift"/> pixels each way (the same as zero-padding by that much and cropping back at a
/// random position), a horizontal flip, a rotation of up to ±<see cref="MaxRotationDegrees"/> about the centre
/// (bilinear), and additive Gaussian noise. Pixels that come from outside the image take <see cref="FillValue"/>.
/// Choose only changes that keep the label valid: flipping a '6' or rotating a '9' far makes another digit.
/// </summary>
public sealed class ImageAugmentation
{
    private readonly SeededRandom _random = new(0);
    private readonly float[] _scratch;

    /// <summary>Creates an augmentation for images of <paramref name="shape"/>; all changes start off.</summary>
    public ImageAugmentation(ImageShape shape)
    {
        Shape = shape;
        _scratch = new float[shape.Size];
    }

    /// <summary>The image layout.</summary>
    public ImageShape Shape { get; }

    /// <summary>The largest shift in pixels, per axis (pad-and-random-crop). 0: no shift.</summary>
    public int MaxShift { get; init; }

    /// <summary>Mirror left–right with probability ½.</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>The largest rotation in degrees, either way. 0: no rotation.</summary>
    public float MaxRotationDegrees { get; init; }

    /// <summary>The standard deviation of the Gaussian noise added to every value. 0: none.</summary>
    public float NoiseStandardDeviation { get; init; }

    /// <summary>The value of pixels shifted or rotated in from outside the image (0: black after [0, 1] scaling).</summary>
    public float FillValue { get; init; }

    /// <summary>The seed of <paramref name="sample"/> in <paramref name="epoch"/>: a sample's change depends only on
    /// these and the base seed, never on batch size, order or prefetching.</summary>
    public static long SampleSeed(long seed, int epoch, int sample) =>
        unchecked(seed ^ ((long)epoch * -7046029254386353131L) ^ ((long)sample * -4417276706812531889L));

    /// <summary>Changes <paramref name="image"/> in place with the draws of <paramref name="sampleSeed"/>. Allocates
    /// nothing; not thread-safe (one instance per thread).</summary>
    public void Apply(Span<float> image, long sampleSeed)
    {
        _random.Reseed(sampleSeed);
        Apply(image, _random, _scratch);
    }

    /// <summary>Changes <paramref name="image"/> in place with draws from <paramref name="random"/>, using
    /// <paramref name="scratch"/> (at least one image) as working space. Draw order: shift x, shift y, flip, angle, noise.</summary>
    public void Apply(Span<float> image, SeededRandom random, Span<float> scratch)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (image.Length != Shape.Size || scratch.Length < Shape.Size)
        {
            throw new ArgumentException($"Images of shape {Shape} have {Shape.Size} values; got {image.Length} (scratch {scratch.Length}).", nameof(image));
        }
        int dx = 0, dy = 0;
        if (MaxShift > 0)
        {
            dx = random.NextInt(2 * MaxShift + 1) - MaxShift;
            dy = random.NextInt(2 * MaxShift + 1) - MaxShift;
        }
        bool flip = HorizontalFlip && random.NextDouble() < 0.5;
        double angle = MaxRotationDegrees > 0 ? (2 * random.NextDouble() - 1) * MaxRotationDegrees * Math.PI / 180 : 0;
        if (dx != 0 || dy != 0 || flip || angle != 0)
        {
            image.CopyTo(scratch);
            Resample(scratch[..Shape.Size], image, dx, dy, flip, angle);
        }
        if (NoiseStandardDeviation > 0)
        {
            for (int i = 0; i < image.Length; i++)
            {
                image[i] += (float)(random.NextGaussian() * NoiseStandardDeviation);
            }
        }
    }

    // Output pixel (y, x) reads the source at the inverse of: rotate about the centre, then shift, then flip.
    private void Resample(ReadOnlySpan<float> source, Span<float> destination, int dx, int dy, bool flip, double angle)
    {
        int height = Shape.Height, width = Shape.Width, plane = Shape.PlaneSize;
        float fill = FillValue;
        if (angle == 0)
        {
            for (int c = 0; c < Shape.Channels; c++)
            {
                ReadOnlySpan<float> src = source.Slice(c * plane, plane);
                Span<float> dst = destination.Slice(c * plane, plane);
                for (int y = 0; y < height; y++)
                {
                    int sy = y - dy;
                    for (int x = 0; x < width; x++)
                    {
                        int sx = (flip ? width - 1 - x : x) - dx;
                        dst[y * width + x] = (uint)sy < (uint)height && (uint)sx < (uint)width ? src[sy * width + sx] : fill;
                    }
                }
            }
            return;
        }
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double ux = (flip ? width - 1 - x : x) - dx - cx, uy = y - dy - cy;
                double sx = cos * ux + sin * uy + cx, sy = -sin * ux + cos * uy + cy;
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                float fx = (float)(sx - x0), fy = (float)(sy - y0);
                for (int c = 0; c < Shape.Channels; c++)
                {
                    ReadOnlySpan<float> src = source.Slice(c * plane, plane);
                    float top = Lerp(At(src, x0, y0, width, height, fill), At(src, x0 + 1, y0, width, height, fill), fx);
                    float bottom = Lerp(At(src, x0, y0 + 1, width, height, fill), At(src, x0 + 1, y0 + 1, width, height, fill), fx);
                    destination[c * plane + y * width + x] = Lerp(top, bottom, fy);
                }
            }
        }
    }

    private static float At(ReadOnlySpan<float> plane, int x, int y, int width, int height, float fill) =>
        (uint)x < (uint)width && (uint)y < (uint)height ? plane[y * width + x] : fill;

    private static float Lerp(float a, float b, float t) => a + (b - a) * t;
}
