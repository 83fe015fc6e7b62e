using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Execution;

/// <summary>Joins requests along the first dimension and splits outputs back, row-major.</summary>
internal static class BatchAssembler
{
    /// <summary>True when two requests can share one execution: the same shape past the first dimension for every input.</summary>
    public static bool Compatible(ValidatedInputs a, ValidatedInputs b)
    {
        for (var i = 0; i < a.Tensors.Count; i++)
        {
            if (!a.Tensors[i].Shape.AsSpan(1).SequenceEqual(b.Tensors[i].Shape.AsSpan(1)))
            {
                return false;
            }
        }

        return true;
    }

    public static IReadOnlyList<TensorData> Join(IReadOnlyList<ValidatedInputs> members)
    {
        if (members.Count == 1)
        {
            return members[0].Tensors;
        }

        var total = members.Sum(m => (long)m.BatchSize);
        return
        [
            .. members[0].Tensors.Select((first, i) =>
            {
                long[] shape = [total, .. first.Shape.AsSpan(1)];
                return first.DataType == DataType.Bytes
                    ? TensorData.OfStrings(first.Name, shape, [.. members.SelectMany(m => m.Tensors[i].Strings)])
                    : TensorData.Numeric(first.Name, first.DataType, shape, [.. members.SelectMany(m => m.Tensors[i].Raw)]);
            }),
        ];
    }

    /// <summary>Splits batched outputs into one list per member, by each member's batch size.</summary>
    public static IReadOnlyList<TensorData>[] Split(IReadOnlyList<TensorData> outputs, IReadOnlyList<ValidatedInputs> members)
    {
        if (members.Count == 1)
        {
            return [outputs];
        }

        var total = members.Sum(m => m.BatchSize);
        var result = members.Select(_ => new List<TensorData>(outputs.Count)).ToArray();
        foreach (var output in outputs)
        {
            if (output.Shape.Length == 0 || output.Shape[0] != total)
            {
                throw new InvalidOperationException($"output '{output.Name}' has shape {Shapes.Format(output.Shape)}, not batch {total} first");
            }

            var rowElements = total == 0 ? 0 : output.ElementCount / total;
            var row = 0;
            for (var m = 0; m < members.Count; m++)
            {
                var rows = members[m].BatchSize;
                long[] shape = [rows, .. output.Shape.AsSpan(1)];
                result[m].Add(Slice(output, shape, row * rowElements, rows * rowElements));
                row += rows;
            }
        }

        return result;
    }

    private static TensorData Slice(TensorData tensor, long[] shape, long start, long count)
    {
        if (tensor.DataType == DataType.Bytes)
        {
            return TensorData.OfStrings(tensor.Name, shape, tensor.Strings.AsSpan((int)start, (int)count).ToArray());
        }

        var size = tensor.DataType.ElementSize();
        return TensorData.Numeric(tensor.Name, tensor.DataType, shape, tensor.Raw.AsSpan((int)(start * size), (int)(count * size)).ToArray());
    }
}
