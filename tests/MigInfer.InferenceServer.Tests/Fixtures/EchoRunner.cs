using MigInfer.InferenceServer.Execution;
using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Tests.Fixtures;

/// <summary>A model runner that returns its input as output "y" and records every batch it ran.</summary>
internal sealed class EchoRunner(int maxBatchSize, bool batched = true) : IModelRunner
{
    private readonly List<long> _batches = [];

    public ModelSignature Signature { get; } = new(
        "echo",
        [new TensorSpec("x", DataType.Int32, [batched ? -1 : 1, -1])],
        [new TensorSpec("y", DataType.Int32, [batched ? -1 : 1, -1])],
        maxBatchSize);

    public IReadOnlyList<long> Batches
    {
        get
        {
            lock (_batches)
            {
                return [.. _batches];
            }
        }
    }

    public Func<Task>? BeforeRun { get; set; }

    public IReadOnlyList<TensorData> Run(IReadOnlyList<TensorData> inputs)
    {
        BeforeRun?.Invoke().GetAwaiter().GetResult();
        lock (_batches)
        {
            _batches.Add(inputs[0].Shape[0]);
        }

        return [inputs[0].With("y", inputs[0].Shape)];
    }
}
