using System.Collections.Immutable;

namespace MigInfer.Planning.Model;

/// <summary>
/// One GPU node as the operator reads it from the Node object: the <c>nvidia.com/gpu.product</c>
/// label, the GPU count, other labels, and the current state of any GPU that is already split.
/// </summary>
public sealed record NodeInventory
{
    public required string Name { get; init; }

    public required string GpuProduct { get; init; }

    public required int GpuCount { get; init; }

    public ImmutableDictionary<string, string> Labels { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>GPUs with a current layout; a GPU not listed has none.</summary>
    public ImmutableArray<GpuState> Gpus { get; init; } = [];
}
