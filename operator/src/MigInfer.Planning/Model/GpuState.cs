using System.Collections.Immutable;

namespace MigInfer.Planning.Model;

/// <summary>The current layout of one GPU and the owner of each slice.</summary>
public sealed record GpuState(int Index, ImmutableArray<PlacedSlice> Slices);
