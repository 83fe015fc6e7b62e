using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Execution;

/// <summary>
/// Joins requests along the first dimension and splits outputs back, row-major. Along the model's
/// paddable axes (<see cref="PaddingPlan"/>) members shorter than the batch's longest are
/// zero-padded, and outputs on those axes are cropped back to each member's own length.
/// </summary>
internal static class BatchAssembler
{
    public static IReadOnlyList<TensorData> Join(IReadOnlyList<ValidatedInputs> members, PaddingPlan padding)
    {
        if (members.Count == 1)
        {
            return members[0].Tensors;
        }

        var total = members.Sum(m => (long)m.BatchSize);
        var longest = padding.IsEmpty ? null : Longest(members, padding);
        return
        [
            .. members[0].Tensors.Select((first, i) =>
            {
                var trailing = first.Shape[1..];
                foreach (var axis in padding.IsEmpty ? [] : padding.Inputs[i])
                {
                    trailing[axis.Axis - 1] = longest![axis.Symbol];
                }

                long[] shape = [total, .. trailing];
                return first.DataType == DataType.Bytes
                    ? TensorData.OfStrings(first.Name, shape, [.. members.SelectMany(m => Fit(m.Tensors[i].Strings, m.Tensors[i].Shape, trailing, 1, []))])
                    : TensorData.Numeric(first.Name, first.DataType, shape, [.. members.SelectMany(m => Fit(m.Tensors[i].Raw, m.Tensors[i].Shape, trailing, first.DataType.ElementSize(), (byte)0))]);
            }),
        ];
    }

    /// <summary>Splits batched outputs into one list per member, by each member's batch size, cropping padded axes back.</summary>
    public static IReadOnlyList<TensorData>[] Split(IReadOnlyList<TensorData> outputs, IReadOnlyList<ValidatedInputs> members, PaddingPlan padding)
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

            var crop = padding.Outputs.GetValueOrDefault(output.Name) ?? [];
            var rowElements = total == 0 ? 0 : output.ElementCount / total;
            var row = 0;
            for (var m = 0; m < members.Count; m++)
            {
                var rows = members[m].BatchSize;
                long[] shape = [rows, .. output.Shape.AsSpan(1)];
                var slice = Slice(output, shape, row * rowElements, rows * rowElements);
                result[m].Add(crop.Length == 0 ? slice : Crop(slice, crop, members[m], padding));
                row += rows;
            }
        }

        return result;
    }

    /// <summary>The longest length of each paddable dimension over the batch.</summary>
    private static Dictionary<string, long> Longest(IReadOnlyList<ValidatedInputs> members, PaddingPlan padding)
    {
        var longest = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            for (var i = 0; i < member.Tensors.Count; i++)
            {
                foreach (var axis in padding.Inputs[i])
                {
                    longest[axis.Symbol] = Math.Max(longest.GetValueOrDefault(axis.Symbol), member.Tensors[i].Shape[axis.Axis]);
                }
            }
        }

        return longest;
    }

    /// <summary>A member's elements laid out with <paramref name="trailing"/> past its own batch dimension, padding with <paramref name="pad"/>.</summary>
    private static T[] Fit<T>(T[] data, long[] shape, long[] trailing, int unit, T pad)
    {
        if (shape.AsSpan(1).SequenceEqual(trailing))
        {
            return data;
        }

        long[] target = [shape[0], .. trailing];
        var fitted = new T[checked((int)(Shapes.ElementCount(target) * unit))];
        if (!EqualityComparer<T>.Default.Equals(pad, default))
        {
            fitted.AsSpan().Fill(pad);
        }

        TensorRegion.Copy<T>(data, shape, fitted, target, unit);
        return fitted;
    }

    private static TensorData Crop(TensorData tensor, PaddedAxis[] axes, ValidatedInputs member, PaddingPlan padding)
    {
        var shape = (long[])tensor.Shape.Clone();
        foreach (var axis in axes)
        {
            shape[axis.Axis] = LengthOf(member, padding, axis.Symbol) ?? shape[axis.Axis];
        }

        if (shape.AsSpan().SequenceEqual(tensor.Shape))
        {
            return tensor;
        }

        if (tensor.DataType == DataType.Bytes)
        {
            var strings = new byte[Shapes.ElementCount(shape)][];
            TensorRegion.Copy<byte[]>(tensor.Strings, tensor.Shape, strings, shape, 1);
            return TensorData.OfStrings(tensor.Name, shape, strings);
        }

        var size = tensor.DataType.ElementSize();
        var raw = new byte[Shapes.ElementCount(shape) * size];
        TensorRegion.Copy<byte>(tensor.Raw, tensor.Shape, raw, shape, size);
        return TensorData.Numeric(tensor.Name, tensor.DataType, shape, raw);
    }

    private static long? LengthOf(ValidatedInputs member, PaddingPlan padding, string symbol)
    {
        for (var i = 0; i < member.Tensors.Count; i++)
        {
            foreach (var axis in padding.Inputs[i])
            {
                if (axis.Symbol == symbol)
                {
                    return member.Tensors[i].Shape[axis.Axis];
                }
            }
        }

        return null;
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
