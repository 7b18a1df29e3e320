using System;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Numerics;

/// <summary><see cref="VectorOps.Prefetch"/> is only a hint: on any span, aligned or not, up to the end of its array, it
/// returns without changing a value.</summary>
public sealed class PrefetchTests
{
    [Fact]
    public void Prefetching_any_span_changes_nothing()
    {
        float[] values = new float[300];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i * 0.5f - 7f;
        }
        float[] before = (float[])values.Clone();
        for (int offset = 0; offset < 20; offset++)
        {
            for (int length = 0; offset + length <= values.Length; length += 7)
            {
                VectorOps.Prefetch(values.AsSpan(offset, length));
            }
            VectorOps.Prefetch(values.AsSpan(offset));
        }
        Assert.Equal(before, values);
    }
}
