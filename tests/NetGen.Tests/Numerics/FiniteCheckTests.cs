using System;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Numerics;

/// <summary>
/// <see cref="VectorOps.AllFinite"/>, the check behind <c>Optimizer.TryStep</c> and the trainer's divergence errors: every
/// position of every length up to a few 64-float blocks, so each of its loops (four vectors at a time, one vector, the
/// scalar tail) sees the bad value; CI runs the suite on Vector512, Vector256 and scalar hardware.
/// </summary>
public sealed class FiniteCheckTests
{
    private static readonly float[] NonFinite = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, BitConverter.Int32BitsToSingle(unchecked((int)0xFFC00001))];

    /// <summary>Finite values of every kind: the largest, the smallest subnormal, both zeros.</summary>
    private static float[] FiniteValues(int length)
    {
        float[] values = new float[length];
        float[] kinds = [float.MaxValue, -float.MaxValue, float.Epsilon, -0f, 0f, 1.5f, -3e-39f];
        for (int i = 0; i < length; i++)
        {
            values[i] = kinds[i % kinds.Length];
        }
        return values;
    }

    [Fact]
    public void Finite_values_of_every_kind_pass_at_every_length_and_offset()
    {
        for (int offset = 0; offset < 3; offset++)
        {
            for (int length = 0; length <= 200; length++)
            {
                float[] values = FiniteValues(offset + length);
                Assert.True(VectorOps.AllFinite(values.AsSpan(offset, length)), $"length {length}, offset {offset}");
            }
        }
    }

    [Fact]
    public void One_nan_or_infinity_anywhere_fails()
    {
        foreach (int offset in new[] { 0, 1 })
        {
            foreach (int length in new[] { 1, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 200 })
            {
                foreach (float bad in NonFinite)
                {
                    for (int at = 0; at < length; at++)
                    {
                        float[] values = FiniteValues(offset + length);
                        values[offset + at] = bad;
                        Assert.False(VectorOps.AllFinite(values.AsSpan(offset, length)), $"{bad} at {at} of {length}, offset {offset}");
                    }
                }
            }
        }
    }

    [Fact]
    public void A_bad_value_outside_the_span_is_not_seen()
    {
        float[] values = FiniteValues(70);
        values[0] = float.NaN;
        values[69] = float.PositiveInfinity;
        Assert.True(VectorOps.AllFinite(values.AsSpan(1, 68)));
    }
}
