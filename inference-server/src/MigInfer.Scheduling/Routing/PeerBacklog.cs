namespace MigInfer.Scheduling;

/// <summary>
/// What this router knows about one peer slice: its last backlog report, the work sent to it
/// since, and the forwarded requests still unanswered. The estimate drains at one second of work
/// per second of elapsed time, since the peer keeps executing between reports. Not thread-safe.
/// </summary>
/// <remarks>
/// Requests forwarded before a report but not yet received by the peer are assumed to be in the
/// report; with reports every 50 ms that error is bounded by one report interval.
/// </remarks>
public sealed class PeerBacklog
{
    private readonly Dictionary<long, ForwardRecord> inFlight = [];
    private readonly TimeSpan livenessWindow;
    private TimeSpan estimate;
    private TimeSpan estimateAt;

    /// <param name="peerId">Id of the peer slice.</param>
    /// <param name="livenessWindow">How long without a report before the peer counts as dead.</param>
    public PeerBacklog(string peerId, TimeSpan livenessWindow)
    {
        ArgumentNullException.ThrowIfNull(peerId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(livenessWindow, TimeSpan.Zero);
        PeerId = peerId;
        this.livenessWindow = livenessWindow;
    }

    /// <summary>The peer slice id.</summary>
    public string PeerId { get; }

    /// <summary>When the last report arrived; null before the first one.</summary>
    public TimeSpan? LastReportAt { get; private set; }

    /// <summary>Forwarded requests not yet answered.</summary>
    public int InFlightCount => inFlight.Count;

    /// <summary>Records a backlog report received at <paramref name="now"/> (the receiver's clock, so clocks need not agree).</summary>
    public void Report(TimeSpan backlog, TimeSpan now)
    {
        estimate = backlog > TimeSpan.Zero ? backlog : TimeSpan.Zero;
        estimateAt = now;
        LastReportAt = now;
    }

    /// <summary>True while the last report is at most the liveness window old; false before any report.</summary>
    public bool IsAlive(TimeSpan now) => LastReportAt is { } last && now - last <= livenessWindow;

    /// <summary>Estimated backlog at <paramref name="now"/>: last report plus work sent since, drained by elapsed time.</summary>
    public TimeSpan Estimate(TimeSpan now)
    {
        var remaining = estimate - (now - estimateAt);
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    /// <summary>Records a request forwarded at <paramref name="now"/> that adds <paramref name="predictedLatency"/> of work.</summary>
    public void RecordForward(long requestId, TimeSpan predictedLatency, TimeSpan now)
    {
        estimate = Estimate(now) + predictedLatency;
        estimateAt = now;
        inFlight[requestId] = new ForwardRecord(PeerId, requestId, now, predictedLatency, Started: false);
    }

    /// <summary>Marks a forwarded request as started on the peer; false when it is not in flight.</summary>
    public bool MarkStarted(long requestId)
    {
        if (!inFlight.TryGetValue(requestId, out var record))
        {
            return false;
        }

        inFlight[requestId] = record with { Started = true };
        return true;
    }

    /// <summary>Forgets a forwarded request whose answer came back; false when it was not in flight.</summary>
    public bool Complete(long requestId) => inFlight.Remove(requestId);

    /// <summary>
    /// Removes every in-flight request, splitting them into those the peer never started (safe to
    /// retry on another slice) and those it started (the host answers them with an error).
    /// </summary>
    public void TakeInFlight(ICollection<ForwardRecord> notStarted, ICollection<ForwardRecord> started)
    {
        ArgumentNullException.ThrowIfNull(notStarted);
        ArgumentNullException.ThrowIfNull(started);
        foreach (var record in inFlight.Values.OrderBy(r => r.SentAt).ThenBy(r => r.RequestId))
        {
            (record.Started ? started : notStarted).Add(record);
        }

        inFlight.Clear();
    }
}
