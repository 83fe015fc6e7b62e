using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Execution;

/// <summary>Runs one (possibly batched) execution of a model; called by one scheduler thread at a time.</summary>
internal interface IModelRunner
{
    ModelSignature Signature { get; }

    /// <summary>Runs the model on inputs in model order and returns every output in model order.</summary>
    IReadOnlyList<TensorData> Run(IReadOnlyList<TensorData> inputs);
}
