namespace MigInfer.OnnxModels.Tests.Fixtures;

/// <summary>An output copied out of ONNX Runtime: its shape and a typed array of its elements.</summary>
internal sealed record OrtTensor(long[] Shape, Array Data)
{
    public T[] As<T>() => (T[])Data;
}
