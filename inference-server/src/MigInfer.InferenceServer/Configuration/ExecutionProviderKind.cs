namespace MigInfer.InferenceServer.Configuration;

/// <summary>Where ONNX Runtime executes the model.</summary>
internal enum ExecutionProviderKind
{
    Cpu,
    Cuda,
}
