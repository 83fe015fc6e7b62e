using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Execution;

/// <summary>
/// All-zero inputs (empty strings for BYTES) for warm-up and latency measurement. Variable dimensions past the
/// first are 1, or with <c>longest</c> as long as the model's limits allow (<see cref="DimensionLimits"/>; 1 where
/// a dimension has no limit).
/// </summary>
internal static class ZeroInputs
{
    public static TensorData[] For(ModelSignature signature, int batch, bool longest = false) =>
    [
        .. signature.Inputs.Select((spec, input) =>
        {
            var shape = spec.Shape.Select((d, i) => d != -1 ? d : i == 0 ? batch : 1L).ToArray();
            if (longest && !signature.Limits.IsEmpty)
            {
                foreach (var axis in signature.Limits.Inputs[input])
                {
                    shape[axis.Axis] = axis.Max;
                }
            }

            var count = Shapes.ElementCount(shape);
            return spec.DataType == DataType.Bytes
                ? TensorData.OfStrings(spec.Name, shape, [.. Enumerable.Repeat(Array.Empty<byte>(), (int)count)])
                : TensorData.Numeric(spec.Name, spec.DataType, shape, new byte[count * spec.DataType.ElementSize()]);
        }),
    ];
}
