using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Model;

/// <summary>A model input or output as the protocol reports it; <c>-1</c> marks a variable dimension.</summary>
internal sealed record TensorSpec(string Name, DataType DataType, long[] Shape);
