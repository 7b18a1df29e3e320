using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>
/// A float buffer whose first element sits on a 64-byte boundary (one cache line, one Vector512). The backing array
/// lives on the pinned object heap, so the alignment holds for the buffer's whole life and nothing needs disposing.
/// </summary>
// Public because generated code calls it; hidden from IntelliSense, like the engine contract it serves.
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class AlignedBuffer
{
    private const int AlignmentBytes = 64;
    private readonly float[] _array;
    private readonly int _offset;

    /// <summary>Allocates <paramref name="length"/> zeroed floats.</summary>
    public AlignedBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _array = GC.AllocateArray<float>(length + AlignmentBytes / sizeof(float), pinned: true);
        _offset = MisalignmentInFloats(_array);
        Length = length;
    }

    /// <summary>Number of floats.</summary>
    public int Length { get; }

    /// <summary>The buffer's contents.</summary>
    public Span<float> Span => _array.AsSpan(_offset, Length);

    /// <summary>A reference to the first (aligned) element, for kernels that index with literal offsets.</summary>
    public ref float Reference => ref _array[_offset];

    private static unsafe int MisalignmentInFloats(float[] pinnedArray)
    {
        nuint address = (nuint)Unsafe.AsPointer(ref pinnedArray[0]);
        int bytesPastBoundary = (int)(address % AlignmentBytes);
        return bytesPastBoundary == 0 ? 0 : (AlignmentBytes - bytesPastBoundary) / sizeof(float);
    }
}
