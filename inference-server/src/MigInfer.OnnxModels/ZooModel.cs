namespace MigInfer.OnnxModels;

/// <summary>A serialized ONNX model (opset 17, IR version 8) and its card.</summary>
/// <param name="Card">What the model computes and costs.</param>
/// <param name="OnnxBytes">The ModelProto bytes, loadable with <c>new InferenceSession(byte[])</c>.</param>
public sealed record ZooModel(ModelCard Card, ReadOnlyMemory<byte> OnnxBytes);
