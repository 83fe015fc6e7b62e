namespace MigInfer.Planning.Catalog;

/// <summary>
/// One GPU-instance profile of a MIG-capable board, as <c>nvidia-smi mig -lgip</c> lists it:
/// compute and memory slices, memory, and the memory-slice offsets where it may start.
/// </summary>
public sealed record MigProfile(
    string Name,
    int GiProfileId,
    int ComputeSlices,
    int MemorySlices,
    int MaxCount,
    int MemoryMiB,
    IReadOnlyList<int> AllowedStarts,
    bool MediaExtensions = false)
{
    /// <summary>The extended resource a pod requests for this profile (mixed strategy; '+' becomes '.').</summary>
    public string ResourceName => "nvidia.com/mig-" + Name.Replace('+', '.');

    /// <summary>Whether the planner may create this profile. Media-extension profiles are left to users.</summary>
    public bool Plannable => !MediaExtensions;

    public override string ToString() => Name;
}
