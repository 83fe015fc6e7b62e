using MigInfer.InferenceServer.Execution;
using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Tests.Fixtures;

/// <summary>
/// A model runner over x [batch, sequence] that returns its input as output "y" and records the shape of every
/// batch it ran.
/// </summary>
internal sealed class EchoRunner(int maxBatchSize, bool batched = true, DimensionLimits? limits = null) : IModelRunner
{
    private readonly List<long[]> _shapes = [];

    public ModelSignature Signature { get; } = new(
        "echo",
        [new TensorSpec("x", DataType.Int32, [batched ? -1 : 1, -1])],
        [new TensorSpec("y", DataType.Int32, [batched ? -1 : 1, -1])],
        maxBatchSize,
        limits: limits);

    /// <summary>The first dimension of every run, in order.</summary>
    public IReadOnlyList<long> Batches => [.. Shapes.Select(s => s[0])];

    /// <summary>The input shape of every run, in order.</summary>
    public IReadOnlyList<long[]> Shapes
    {
        get
        {
            lock (_shapes)
            {
                return [.. _shapes];
            }
        }
    }

    public Func<Task>? BeforeRun { get; set; }

    public IReadOnlyList<TensorData> Run(IReadOnlyList<TensorData> inputs)
    {
        BeforeRun?.Invoke().GetAwaiter().GetResult();
        lock (_shapes)
        {
            _shapes.Add(inputs[0].Shape);
        }

        return [inputs[0].With("y", inputs[0].Shape)];
    }
}
