using MigInfer.Planning.Catalog;

namespace MigInfer.Planning.Layouts;

/// <summary>A GPU instance placed at an explicit first memory slice.</summary>
public sealed record MigSlice(MigProfile Profile, int Start)
{
    /// <summary>One past the last memory slice this instance occupies.</summary>
    public int End => Start + Profile.MemorySlices;

    public bool Overlaps(MigSlice other) => Start < other.End && other.Start < End;

    public override string ToString() => $"{Profile.Name}@{Start}";
}
