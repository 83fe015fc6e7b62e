namespace MigInfer.Planning.Plans;

/// <summary>A GPU whose layout differs from the current one.</summary>
public sealed record GpuChange(string Node, int Index, string From, string To);
