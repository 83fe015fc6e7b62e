namespace MigInfer.Scheduling;

/// <summary>
/// A slice profile (for example <c>3g.20gb</c>) resolved against one <see cref="LatencyModel"/>.
/// Resolving once and passing the handle keeps predictions free of string hashing on the hot path.
/// </summary>
public readonly record struct ProfileHandle
{
    internal ProfileHandle(int index, ProfileCurve curve)
    {
        Index = index;
        Curve = curve;
    }

    /// <summary>The profile name as given in the latency table; empty for <c>default</c>.</summary>
    public string Name => Curve?.Name ?? string.Empty;

    /// <summary>True for handles produced by <see cref="LatencyModel.Resolve"/>, false for <c>default</c>.</summary>
    public bool IsValid => Curve is not null;

    internal int Index { get; }

    internal ProfileCurve? Curve { get; }

    public override string ToString() => IsValid ? Name : "(none)";
}
