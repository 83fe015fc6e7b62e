namespace MigInfer.Scheduling;

/// <summary>
/// A slice profile (for example <c>3g.20gb</c>) resolved against one <see cref="LatencyModel"/>.
/// Resolving once and passing the handle keeps predictions free of string hashing on the hot path.
/// </summary>
public readonly record struct ProfileHandle
{
    internal ProfileHandle(int index, string name)
    {
        Index = index;
        Name = name;
    }

    /// <summary>The profile name as given in the latency table.</summary>
    public string Name { get; }

    internal int Index { get; }

    /// <summary>True for handles produced by <see cref="LatencyModel.Resolve"/>, false for <c>default</c>.</summary>
    public bool IsValid => Name is not null;

    public override string ToString() => Name ?? "(none)";
}
