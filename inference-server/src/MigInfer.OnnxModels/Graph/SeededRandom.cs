namespace MigInfer.OnnxModels.Graph;

/// <summary>
/// xoshiro256** seeded through SplitMix64: the weights depend only on the seed, never on the
/// runtime's <see cref="Random"/> implementation, so a seed gives the same bytes everywhere.
/// </summary>
internal sealed class SeededRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public SeededRandom(int seed)
    {
        var state = unchecked((ulong)seed);
        _s0 = SplitMix(ref state);
        _s1 = SplitMix(ref state);
        _s2 = SplitMix(ref state);
        _s3 = SplitMix(ref state);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Fills <paramref name="target"/> with normal samples of the given standard deviation (Box-Muller).</summary>
    public void FillNormal(Span<float> target, double std)
    {
        for (var i = 0; i < target.Length; i += 2)
        {
            var radius = Math.Sqrt(-2.0 * Math.Log(1.0 - NextDouble())) * std;
            var angle = 2.0 * Math.PI * NextDouble();
            target[i] = (float)(radius * Math.Cos(angle));
            if (i + 1 < target.Length)
            {
                target[i + 1] = (float)(radius * Math.Sin(angle));
            }
        }
    }

    /// <summary>Fills <paramref name="target"/> uniformly in [-bound, bound).</summary>
    public void FillUniform(Span<float> target, double bound)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] = (float)((NextDouble() * 2.0 - 1.0) * bound);
        }
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
