using System;

namespace NetGen;

/// <summary>
/// The one random source of NetGen: xoshiro256** seeded through SplitMix64. Unlike <see cref="Random"/>, its sequence
/// is fixed by this code alone, so the same seed gives bit-identical initialization, shuffling and masks on any .NET version.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian = double.NaN;

    /// <summary>Creates a generator whose whole sequence is determined by <paramref name="seed"/>.</summary>
    public SeededRandom(long seed) => Reseed(seed);

    /// <summary>Restarts the sequence exactly as <c>new SeededRandom(seed)</c> would, without allocating: the way to
    /// give every sample its own stream (augmentation seeded per sample) in a loop that must not allocate.</summary>
    public void Reseed(long seed)
    {
        ulong state = unchecked((ulong)seed);
        _s0 = SplitMix64(ref state);
        _s1 = SplitMix64(ref state);
        _s2 = SplitMix64(ref state);
        _s3 = SplitMix64(ref state);
        _spareGaussian = double.NaN;
    }

    /// <summary>A generator that continues exactly where the one that produced <paramref name="state"/> stood.</summary>
    public SeededRandom(SeededRandomState state) => State = state;

    /// <summary>The generator's complete position: reading it and later assigning it back (or passing it to
    /// <see cref="SeededRandom(SeededRandomState)"/>) continues the same sequence bit for bit. Checkpoints store it.</summary>
    public SeededRandomState State
    {
        get => new(_s0, _s1, _s2, _s3, _spareGaussian);
        set
        {
            if ((value.S0 | value.S1 | value.S2 | value.S3) == 0)
            {
                throw new ArgumentException("An all-zero xoshiro256** state never leaves zero; it cannot come from a seeded generator.", nameof(value));
            }
            (_s0, _s1, _s2, _s3, _spareGaussian) = (value.S0, value.S1, value.S2, value.S3, value.SpareGaussian);
        }
    }

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform integer in [0, <paramref name="exclusiveMax"/>) without modulo bias (Lemire's method).</summary>
    public int NextInt(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        ulong bound = (ulong)exclusiveMax;
        ulong product = (NextUInt64() >> 32) * bound;
        uint low = (uint)product;
        if (low < bound)
        {
            uint threshold = (uint)((0x1_0000_0000UL - bound) % bound);
            while (low < threshold)
            {
                product = (NextUInt64() >> 32) * bound;
                low = (uint)product;
            }
        }
        return (int)(product >> 32);
    }

    /// <summary>Standard normal N(0, 1) by the Box–Muller transform.</summary>
    public double NextGaussian()
    {
        if (!double.IsNaN(_spareGaussian))
        {
            double spare = _spareGaussian;
            _spareGaussian = double.NaN;
            return spare;
        }
        double u1 = 1.0 - NextDouble(); // (0, 1]: the logarithm stays finite
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareGaussian = radius * Math.Sin(2.0 * Math.PI * u2);
        return radius * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>The complete state of a <see cref="SeededRandom"/>: the four xoshiro256** words and the Box–Muller value kept for
/// the next <see cref="SeededRandom.NextGaussian"/> (NaN when there is none).</summary>
public readonly record struct SeededRandomState(ulong S0, ulong S1, ulong S2, ulong S3, double SpareGaussian);
