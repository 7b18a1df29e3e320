using System;

namespace NetGen;

/// <summary>The network's input: a vector of <c>size</c> features per sample.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>Declares an input of <paramref name="size"/> features.</summary>
    public InputAttribute(int size)
    {
        Size = size;
        Channels = size;
        Height = 1;
        Width = 1;
    }

    /// <summary>Declares an image input of <paramref name="channels"/> × <paramref name="height"/> × <paramref name="width"/>
    /// values per sample, stored channel-major (CHW, as PyTorch's NCHW without the batch).</summary>
    public InputAttribute(int channels, int height, int width)
    {
        Channels = channels;
        Height = height;
        Width = width;
        Size = channels * height * width;
    }

    /// <summary>Number of input values per sample.</summary>
    public int Size { get; }

    /// <summary>Channels of an image input (the size of a vector input).</summary>
    public int Channels { get; }

    /// <summary>Height of an image input (1 for a vector).</summary>
    public int Height { get; }

    /// <summary>Width of an image input (1 for a vector).</summary>
    public int Width { get; }
}
