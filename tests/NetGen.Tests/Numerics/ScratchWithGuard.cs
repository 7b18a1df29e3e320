using System;
using Xunit;

namespace NetGen.Tests.Numerics;

/// <summary>The scratch followed by a guard band of NaNs that no kernel may write.</summary>
internal sealed class ScratchWithGuard(int size)
{
    private const int Guard = 64;
    private readonly float[] _floats = Fill(size);

    public ref float Start => ref _floats[0];

    public void AssertUntouchedAfter()
    {
        for (int i = size; i < _floats.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(_floats[i]) == 0x7FC0_1234, $"The kernel wrote past its scratch of {size} floats, at {i}.");
        }
    }

    private static float[] Fill(int size)
    {
        var floats = new float[size + Guard];
        floats.AsSpan(size).Fill(BitConverter.Int32BitsToSingle(0x7FC0_1234));
        return floats;
    }
}
