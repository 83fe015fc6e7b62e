namespace MigInfer.OnnxModels;

/// <summary>
/// What a roofline latency estimate and a server need to know about a zoo model, computed from
/// the graph that was written (nothing is hard-coded).
/// </summary>
/// <param name="Name">The zoo name.</param>
/// <param name="Description">One line: architecture and the size variant.</param>
/// <param name="Inputs">Graph inputs, in graph order.</param>
/// <param name="Outputs">Graph outputs, in graph order.</param>
/// <param name="ParameterCount">Number of trainable weight elements (floating-point initializers).</param>
/// <param name="WeightBytes">Bytes of all initializers (weights and shape constants).</param>
/// <param name="FlopsPerSample">
/// Floating-point operations for one sample (batch 1): each multiply-accumulate of a Conv, Gemm or
/// MatMul counts as 2 FLOPs; element-wise, normalisation, pooling and softmax work is not counted,
/// which is the convention behind the published ResNet-50 (about 4.1 GMAC, 8.2 GFLOP) and
/// BERT-base figures.
/// </param>
/// <param name="FlopsShapeBindings">
/// The values given to symbolic dimensions when counting FLOPs (batch = 1, and sequence = 128 for
/// the encoder); FLOPs of attention grow faster than linearly with the sequence length.
/// </param>
public sealed record ModelCard(
    string Name,
    string Description,
    IReadOnlyList<TensorSpec> Inputs,
    IReadOnlyList<TensorSpec> Outputs,
    long ParameterCount,
    long WeightBytes,
    long FlopsPerSample,
    IReadOnlyDictionary<string, long> FlopsShapeBindings)
{
    /// <summary>True when every input's first dimension is the symbolic batch dimension.</summary>
    public bool IsBatchable =>
        Inputs.Count > 0 && Inputs.All(i => i.Shape.Count > 0 && i.Shape[0].Symbol == Dimension.BatchSymbol);
}
