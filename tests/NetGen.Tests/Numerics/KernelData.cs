using System;

namespace NetGen.Tests.Numerics;

/// <summary>Inputs for the kernel tests that compare a runtime kernel with a plain loop bit for bit.</summary>
internal static class KernelData
{
    /// <summary><paramref name="count"/> values drawn uniformly from [−1, 1).</summary>
    public static float[] Values(Random random, int count)
    {
        float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return values;
    }

    /// <summary>The bits of each value, so that an assertion tells −0 from 0 and one NaN from another.</summary>
    public static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);
}
