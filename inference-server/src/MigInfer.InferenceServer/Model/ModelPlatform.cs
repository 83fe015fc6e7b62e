namespace MigInfer.InferenceServer.Model;

/// <summary>The platform name model metadata reports, as Triton names ONNX Runtime models.</summary>
internal static class ModelPlatform
{
    public const string Name = "onnxruntime_onnx";
}
