namespace MigInfer.Planning.Model;

/// <summary>A MIG instance on a GPU and the service that owns it (null: idle).</summary>
public sealed record PlacedSlice(string Profile, int Start, string? Service)
{
    public override string ToString() => Service is null ? $"{Profile}@{Start}" : $"{Profile}@{Start}={Service}";
}
