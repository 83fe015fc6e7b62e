namespace MigInfer.Scheduling;

/// <summary>One slice the router may send a request to, with its current load estimate.</summary>
/// <param name="Id">Stable slice id (pod name or address).</param>
/// <param name="Profile">Profile of the slice, resolved against the router's latency model.</param>
/// <param name="ComputeSize">Compute size used to prefer small slices (GPCs, from <c>Ng.</c>).</param>
/// <param name="IsLocal">True when this process executes the slice itself.</param>
/// <param name="Transfer">Estimated time to move the request to the slice (zero for local).</param>
/// <param name="Backlog">Estimated work ahead of a new request on the slice.</param>
/// <param name="MaxBatchSize">Largest batch the slice runs; bigger requests never go there.</param>
/// <param name="Ready">False for slices that are warming up, draining or presumed dead.</param>
public readonly record struct SliceCandidate(
    string Id,
    ProfileHandle Profile,
    int ComputeSize,
    bool IsLocal,
    TimeSpan Transfer,
    TimeSpan Backlog,
    int MaxBatchSize,
    bool Ready)
{
    /// <summary>Whether the slice can run a request of <paramref name="samples"/> samples at all.</summary>
    public bool CanRun(int samples) => Ready && samples >= 1 && samples <= MaxBatchSize;
}
