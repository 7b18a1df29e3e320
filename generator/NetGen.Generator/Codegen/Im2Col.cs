using NetGen.Generator.Model;
using static NetGen.Generator.Codegen.Literals;

namespace NetGen.Generator.Codegen;

/// <summary>The geometry of a sliding window over an image: kernel, stride, zero padding on each side, dilation.</summary>
internal readonly record struct Window(int KernelHeight, int KernelWidth, int Stride, int Padding, int Dilation);

/// <summary>
/// im2col and its adjoint for the kernels of convolutions and transposed convolutions: the windows of one sample's
/// image unrolled into a [c·kh·kw, grid] matrix of columns (zero where a window reaches into the padding), and the
/// columns added back onto an image.
/// </summary>
internal static class Im2Col
{
    /// <summary>A reference to sample <c>s</c> of a buffer of <paramref name="size"/> floats per sample.</summary>
    public static string Sample(string reference, int size) => $"ref At(ref {reference}, s * {Num(size)})";

    /// <summary>columns[(c·kh + ky)·kw + kx, gy·gw + gx] = image[c, gy·s − p + ky·d, gx·s − p + kx·d], 0 outside.</summary>
    public static void EmitIm2Col(SourceWriter w, string name, Window window, Shape image, Shape grid)
    {
        w.Line($"/// <summary>Unrolls the {Num(window.KernelHeight)}×{Num(window.KernelWidth)} windows of a {image} image over a {Num(grid.Height)}×{Num(grid.Width)} grid into columns.</summary>");
        w.Open($"private static void {name}(ref float image, ref float columns)");
        EmitWindowLoops(w, window, image, grid, inBounds: "At(ref columns, row + gx) = At(ref image, plane + iy * " + Num(image.Width) + " + ix);",
            outOfBounds: "At(ref columns, row + gx) = 0f;");
        w.Close();
    }

    /// <summary>The adjoint of im2col: image = 0, then every column entry is added back to the pixel it came from.</summary>
    public static void EmitCol2Im(SourceWriter w, string name, Window window, Shape image, Shape grid)
    {
        w.Line($"/// <summary>Adds columns back onto a {image} image (the adjoint of im2col); the image is cleared first.</summary>");
        w.Open($"private static void {name}(ref float columns, ref float image)");
        w.Line($"MemoryMarshal.CreateSpan(ref image, {Num(image.Size)}).Clear();");
        EmitWindowLoops(w, window, image, grid, inBounds: "At(ref image, plane + iy * " + Num(image.Width) + " + ix) += At(ref columns, row + gx);", outOfBounds: null);
        w.Close();
    }

    private static void EmitWindowLoops(SourceWriter w, Window window, Shape image, Shape grid, string inBounds, string? outOfBounds)
    {
        (int kh, int kw, int s, int p, int d) = window;
        w.Open($"for (int c = 0; c < {Num(image.Channels)}; c++)");
        w.Line($"int plane = c * {Num(image.Height * image.Width)};");
        w.Open($"for (int ky = 0; ky < {Num(kh)}; ky++)");
        w.Open($"for (int kx = 0; kx < {Num(kw)}; kx++)");
        w.Line($"int tap = (c * {Num(kh)} + ky) * {Num(kw)} + kx;");
        w.Open($"for (int gy = 0; gy < {Num(grid.Height)}; gy++)");
        w.Line($"int iy = gy * {Num(s)} - {Num(p)} + ky * {Num(d)};");
        w.Line($"int row = tap * {Num(grid.Height * grid.Width)} + gy * {Num(grid.Width)};");
        w.Open($"if ((uint)iy >= {Num(image.Height)}u)");
        if (outOfBounds is not null)
        {
            w.Line($"MemoryMarshal.CreateSpan(ref At(ref columns, row), {Num(grid.Width)}).Clear();");
        }
        w.Line("continue;");
        w.Close();
        w.Open($"for (int gx = 0; gx < {Num(grid.Width)}; gx++)");
        w.Line($"int ix = gx * {Num(s)} - {Num(p)} + kx * {Num(d)};");
        if (outOfBounds is not null)
        {
            w.Open($"if ((uint)ix < {Num(image.Width)}u)");
            w.Line(inBounds);
            w.Close();
            w.Open("else");
            w.Line(outOfBounds);
            w.Close();
        }
        else
        {
            w.Open($"if ((uint)ix < {Num(image.Width)}u)");
            w.Line(inBounds);
            w.Close();
        }
        w.Close();
        w.Close();
        w.Close();
        w.Close();
        w.Close();
    }
}
