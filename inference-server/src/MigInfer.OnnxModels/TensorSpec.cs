namespace MigInfer.OnnxModels;

/// <summary>Name, element type and shape of one model input or output.</summary>
/// <param name="Name">The tensor name in the ONNX graph.</param>
/// <param name="ElementType">The element type.</param>
/// <param name="Shape">The shape; symbolic dimensions are named (see <see cref="Dimension"/>).</param>
public sealed record TensorSpec(string Name, TensorElementType ElementType, IReadOnlyList<Dimension> Shape)
{
    /// <summary>The shape as ONNX Runtime reports it (-1 for symbolic dimensions).</summary>
    public long[] OnnxRuntimeShape() => [.. Shape.Select(d => d.ToOnnxRuntimeSize())];

    /// <summary>The KServe v2 datatype name (FP32, INT64, BYTES, ...).</summary>
    public string V2Datatype => ElementType.ToString().ToUpperInvariant();

    public override string ToString() => $"{Name}: {V2Datatype}[{string.Join(",", Shape)}]";
}
