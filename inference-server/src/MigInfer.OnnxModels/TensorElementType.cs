namespace MigInfer.OnnxModels;

/// <summary>
/// Element types of the tensors the zoo writes. Upper-casing a member's name gives the KServe v2
/// datatype name (<c>Fp32</c> is <c>FP32</c>, <c>Bytes</c> is <c>BYTES</c>).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming", "CA1720:Identifier contains type name", Justification = "Members mirror the KServe v2 datatype names.")]
public enum TensorElementType
{
    Fp32,
    Fp16,
    Fp64,
    Int64,
    Int32,
    Int8,
    UInt8,
    Bool,

    /// <summary>ONNX <c>STRING</c>; KServe calls it <c>BYTES</c>.</summary>
    Bytes,
}
