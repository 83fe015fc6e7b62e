namespace MigInfer.InferenceServer.Tensors;

/// <summary>Row-major copies between tensors of the same rank and different shapes: zero-padding and cropping.</summary>
internal static class TensorRegion
{
    /// <summary>
    /// Copies the region the two shapes share (the smaller length on every axis) from
    /// <paramref name="source"/> into <paramref name="target"/>; the rest of the target keeps what it
    /// held (zeros for a fresh array). <paramref name="unit"/> is the number of span items per tensor
    /// element (the element size for raw bytes, 1 for strings).
    /// </summary>
    public static void Copy<T>(ReadOnlySpan<T> source, long[] sourceShape, Span<T> target, long[] targetShape, int unit)
    {
        var rank = sourceShape.Length;
        if (targetShape.Length != rank)
        {
            throw new ArgumentException($"rank {rank} cannot be copied into rank {targetShape.Length}", nameof(targetShape));
        }

        if (rank == 0)
        {
            source[..unit].CopyTo(target);
            return;
        }

        var region = new long[rank];
        for (var d = 0; d < rank; d++)
        {
            region[d] = Math.Min(sourceShape[d], targetShape[d]);
            if (region[d] == 0)
            {
                return;
            }
        }

        var sourceStrides = Strides(sourceShape);
        var targetStrides = Strides(targetShape);
        var chunk = checked((int)(region[rank - 1] * unit));
        var index = new long[rank - 1];
        while (true)
        {
            long from = 0, to = 0;
            for (var d = 0; d < rank - 1; d++)
            {
                from += index[d] * sourceStrides[d];
                to += index[d] * targetStrides[d];
            }

            source.Slice(checked((int)(from * unit)), chunk).CopyTo(target[checked((int)(to * unit))..]);
            var k = rank - 2;
            while (k >= 0 && ++index[k] == region[k])
            {
                index[k] = 0;
                k--;
            }

            if (k < 0)
            {
                return;
            }
        }
    }

    private static long[] Strides(long[] shape)
    {
        var strides = new long[shape.Length];
        var stride = 1L;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= shape[d];
        }

        return strides;
    }
}
