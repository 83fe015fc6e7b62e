namespace MigInfer.Planning.Catalog;

/// <summary>
/// A MIG-capable board: its slice geometry, its profiles, and the datasheet peaks the roofline
/// estimate uses. <see cref="ProductLabels"/> are the <c>nvidia.com/gpu.product</c> values that name it.
/// </summary>
public sealed record GpuProduct(
    string Name,
    IReadOnlyList<string> ProductLabels,
    int ComputeSlices,
    int MemorySlices,
    IReadOnlyList<MigProfile> Profiles,
    double PeakFp16Tflops,
    double PeakTf32Tflops,
    double PeakFp32Tflops,
    double MemoryBandwidthGBps)
{
    /// <summary>The profile with this name, or null when the board has none.</summary>
    public MigProfile? FindProfile(string name) => Profiles.FirstOrDefault(p => p.Name == name);

    /// <summary>The profiles the planner may create, smallest first.</summary>
    public IEnumerable<MigProfile> PlannableProfiles =>
        Profiles.Where(p => p.Plannable).OrderBy(p => p.ComputeSlices).ThenBy(p => p.MemorySlices);

    public override string ToString() => Name;
}
