namespace MigInfer.OnnxModels.Graph;

/// <summary>Shape inference for the operators the zoo uses.</summary>
internal static class Shapes
{
    /// <summary>Numpy-style broadcasting; a symbolic dimension meets a fixed one only when that one is 1 or equal.</summary>
    public static Dimension[] Broadcast(IReadOnlyList<Dimension> a, IReadOnlyList<Dimension> b)
    {
        var rank = Math.Max(a.Count, b.Count);
        var result = new Dimension[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - a.Count ? Dimension.Fixed(1) : a[i - (rank - a.Count)];
            var db = i < rank - b.Count ? Dimension.Fixed(1) : b[i - (rank - b.Count)];
            result[i] = (da, db) switch
            {
                _ when da == db => da,
                ({ Size: 1 }, _) => db,
                (_, { Size: 1 }) => da,
                _ => throw new ArgumentException($"Shapes [{string.Join(",", a)}] and [{string.Join(",", b)}] do not broadcast."),
            };
        }

        return result;
    }

    /// <summary>Output size of a convolution or pooling window along one spatial axis.</summary>
    public static Dimension Window(Dimension input, long kernel, long stride, long padBegin, long padEnd)
    {
        var size = input.Size ?? throw new ArgumentException("Spatial dimensions must be fixed.", nameof(input));
        return Dimension.Fixed(((size + padBegin + padEnd - kernel) / stride) + 1);
    }

    public static Dimension[] Permute(IReadOnlyList<Dimension> shape, IReadOnlyList<long> perm) =>
        [.. perm.Select(p => shape[(int)p])];

    /// <summary>Shape of MatMul: broadcast leading dimensions, then [M, K] x [K, N] gives [M, N].</summary>
    public static Dimension[] MatMul(IReadOnlyList<Dimension> a, IReadOnlyList<Dimension> b)
    {
        if (a.Count < 2 || b.Count < 2 || a[^1] != b[^2])
        {
            throw new ArgumentException($"MatMul of [{string.Join(",", a)}] and [{string.Join(",", b)}] is undefined.");
        }

        var batch = Broadcast([.. a.Take(a.Count - 2)], [.. b.Take(b.Count - 2)]);
        return [.. batch, a[^2], b[^1]];
    }
}
