namespace MigInfer.InferenceServer.Tensors;

/// <summary>Shape arithmetic shared by every codec.</summary>
internal static class Shapes
{
    /// <summary>The largest element count a request may declare; far above any real tensor.</summary>
    public const long MaxElements = 1L << 40;

    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0 || (dim != 0 && count > MaxElements / dim))
            {
                return -1;
            }

            count *= dim;
        }

        return count;
    }

    public static string Format(IEnumerable<long> shape) => $"[{string.Join(",", shape)}]";

    /// <summary>Checks a declared shape and returns its element count, or throws naming the tensor.</summary>
    public static long Validate(string tensor, string field, ReadOnlySpan<long> shape)
    {
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw InferenceException.Invalid($"tensor '{tensor}': {field} {Format(shape.ToArray())} has negative dimension {dim}");
            }
        }

        var count = ElementCount(shape);
        if (count < 0)
        {
            throw InferenceException.Invalid($"tensor '{tensor}': {field} {Format(shape.ToArray())} has more than {MaxElements} elements");
        }

        return count;
    }
}
