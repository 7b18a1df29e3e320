using System;
using System.Linq;
using NetGen.Data;
using Xunit;

namespace NetGen.Tests.Data;

public class ImageAugmentationTests
{
    private static readonly ImageShape Shape = new(2, 5, 6);

    private static float[] Ramp() => Enumerable.Range(1, Shape.Size).Select(i => (float)i).ToArray();

    [Fact]
    public void Shift_moves_pixels_by_whole_steps_and_fills_the_border()
    {
        var augmentation = new ImageAugmentation(Shape) { MaxShift = 2, FillValue = -1 };
        for (long seed = 0; seed < 20; seed++)
        {
            float[] image = Ramp();
            augmentation.Apply(image, seed);
            float[] original = Ramp();
            // Find the shift from the first pixel that came from inside, then check every pixel against it.
            var random = new SeededRandom(seed);
            int dx = random.NextInt(5) - 2, dy = random.NextInt(5) - 2;
            for (int c = 0; c < 2; c++)
            {
                for (int y = 0; y < 5; y++)
                {
                    for (int x = 0; x < 6; x++)
                    {
                        int sy = y - dy, sx = x - dx;
                        float expected = sy is >= 0 and < 5 && sx is >= 0 and < 6 ? original[c * 30 + sy * 6 + sx] : -1;
                        Assert.Equal(expected, image[c * 30 + y * 6 + x]);
                    }
                }
            }
        }
    }

    [Fact]
    public void Flip_mirrors_rows_and_keeps_the_multiset_of_values()
    {
        var augmentation = new ImageAugmentation(Shape) { HorizontalFlip = true };
        int flipped = 0;
        for (long seed = 0; seed < 40; seed++)
        {
            float[] image = Ramp();
            augmentation.Apply(image, seed);
            if (image[0] != 1f)
            {
                flipped++;
                Assert.Equal(6f, image[0]);
                Assert.Equal(1f, image[5]);
                Assert.Equal(31f + 5, image[30]);
            }
            Assert.Equal(Ramp().Order(), image.Order());
        }
        Assert.InRange(flipped, 10, 30);
    }

    [Fact]
    public void Small_rotation_keeps_the_centre_and_stays_within_the_value_range()
    {
        var shape = new ImageShape(1, 9, 9);
        var augmentation = new ImageAugmentation(shape) { MaxRotationDegrees = 15 };
        float[] image = new float[81];
        image[4 * 9 + 4] = 1f;
        for (int i = 0; i < 9; i++)
        {
            image[4 * 9 + i] = 1f; // a horizontal bar through the centre
        }
        float[] rotated = (float[])image.Clone();
        augmentation.Apply(rotated, 3);
        Assert.Equal(1f, rotated[4 * 9 + 4], 5);
        Assert.NotEqual(image, rotated);
        Assert.All(rotated, v => Assert.InRange(v, 0f, 1f));
        float[] again = (float[])image.Clone();
        augmentation.Apply(again, 3);
        Assert.Equal(rotated, again);
    }

    [Fact]
    public void Gaussian_noise_has_the_requested_deviation_and_is_seeded_per_sample()
    {
        var shape = new ImageShape(1, 100, 100);
        var augmentation = new ImageAugmentation(shape) { NoiseStandardDeviation = 0.2f };
        float[] image = new float[shape.Size];
        augmentation.Apply(image, ImageAugmentation.SampleSeed(1, epoch: 0, sample: 7));
        double mean = image.Average(v => (double)v), deviation = Math.Sqrt(image.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(deviation, 0.19, 0.21);
        float[] same = new float[shape.Size], otherEpoch = new float[shape.Size];
        augmentation.Apply(same, ImageAugmentation.SampleSeed(1, epoch: 0, sample: 7));
        augmentation.Apply(otherEpoch, ImageAugmentation.SampleSeed(1, epoch: 1, sample: 7));
        Assert.Equal(image, same);
        Assert.NotEqual(image, otherEpoch);
    }

    [Fact]
    public void Reseed_restarts_the_sequence_exactly_like_a_new_generator()
    {
        var reused = new SeededRandom(99);
        reused.NextGaussian(); // leaves a spare Gaussian behind, which Reseed must drop
        reused.Reseed(42);
        var fresh = new SeededRandom(42);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(fresh.NextUInt64(), reused.NextUInt64());
            Assert.Equal(fresh.NextGaussian(), reused.NextGaussian());
        }
    }

    [Fact]
    public void Nothing_enabled_leaves_the_image_unchanged()
    {
        float[] image = Ramp();
        new ImageAugmentation(Shape).Apply(image, 5);
        Assert.Equal(Ramp(), image);
        Assert.Throws<ArgumentException>(() => new ImageAugmentation(Shape).Apply(new float[3], 5));
    }
}
