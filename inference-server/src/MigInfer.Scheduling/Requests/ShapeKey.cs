using System.Numerics;

namespace MigInfer.Scheduling;

/// <summary>
/// Batch-compatibility key: a 64-bit hash of the non-batch dimensions of a request's inputs
/// (chance of two different shapes colliding ≈ 2^-64). For variable-length axes the length is
/// rounded up to a power of two first (MBS-style buckets), so requests of similar length batch
/// together and padding stays under 2×.
/// </summary>
/// <param name="Value">The hash.</param>
public readonly record struct ShapeKey(ulong Value)
{
    private const ulong Offset = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    /// <summary>Key of exact trailing dimensions (the shape without the batch axis).</summary>
    public static ShapeKey Of(ReadOnlySpan<long> trailingDims) => OfBucketed(trailingDims, []);

    /// <summary>Key with the given axes (indices into <paramref name="trailingDims"/>) bucketed by <see cref="BucketLength"/>.</summary>
    public static ShapeKey OfBucketed(ReadOnlySpan<long> trailingDims, ReadOnlySpan<int> variableAxes)
    {
        ulong hash = Mix(Offset, (ulong)trailingDims.Length);
        for (int i = 0; i < trailingDims.Length; i++)
        {
            long dim = variableAxes.Contains(i) ? BucketLength(trailingDims[i]) : trailingDims[i];
            hash = Mix(hash, (ulong)dim);
        }

        return new ShapeKey(Finish(hash));
    }

    /// <summary>Combines keys of several inputs (order matters) into one request key.</summary>
    public ShapeKey Combine(ShapeKey next) => new(Finish(Mix(Mix(Offset, Value), next.Value)));

    /// <summary>The padded length of a variable axis: the smallest power of two ≥ <paramref name="length"/> (1 for lengths ≤ 1).</summary>
    public static long BucketLength(long length) => length <= 1 ? 1 : (long)BitOperations.RoundUpToPowerOf2((ulong)length);

    private static ulong Mix(ulong hash, ulong value)
    {
        for (int b = 0; b < 8; b++)
        {
            hash = (hash ^ (value & 0xFF)) * Prime;
            value >>= 8;
        }

        return hash;
    }

    private static ulong Finish(ulong x)
    {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccd;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53;
        x ^= x >> 33;
        return x;
    }
}
