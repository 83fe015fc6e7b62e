using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Execution;

/// <summary>All-zero inputs (empty strings for BYTES) for warm-up and latency measurement; variable dimensions past the first are 1.</summary>
internal static class ZeroInputs
{
    public static TensorData[] For(ModelSignature signature, int batch) =>
    [
        .. signature.Inputs.Select(spec =>
        {
            var shape = spec.Shape.Select((d, i) => d != -1 ? d : i == 0 ? batch : 1L).ToArray();
            var count = Shapes.ElementCount(shape);
            return spec.DataType == DataType.Bytes
                ? TensorData.OfStrings(spec.Name, shape, [.. Enumerable.Repeat(Array.Empty<byte>(), (int)count)])
                : TensorData.Numeric(spec.Name, spec.DataType, shape, new byte[count * spec.DataType.ElementSize()]);
        }),
    ];
}
