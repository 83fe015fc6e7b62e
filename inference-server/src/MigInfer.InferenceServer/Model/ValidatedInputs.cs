using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Model;

/// <summary>Request inputs that match the model, in the model's input order.</summary>
/// <param name="Tensors">One tensor per model input, in model order.</param>
/// <param name="BatchSize">The first dimension of a batched model's inputs; 1 for a model served without batching.</param>
internal sealed record ValidatedInputs(IReadOnlyList<TensorData> Tensors, int BatchSize);
