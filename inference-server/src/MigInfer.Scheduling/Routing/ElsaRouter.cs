namespace MigInfer.Scheduling;

/// <summary>
/// The ELSA router of one server: the service's slices (local and peers), their backlog
/// bookkeeping, and <see cref="Route"/> / <see cref="RouteLocalOnly"/>. Routing allocates nothing.
/// Not thread-safe: the host serialises calls (one lock around route + record is enough).
/// </summary>
public sealed class ElsaRouter
{
    private readonly LatencyModel model;
    private readonly RouterOptions options;
    private readonly List<SliceSlot> slots = [];
    private SliceCandidate[] scratch = [];

    public ElsaRouter(LatencyModel model, RouterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.model = model;
        this.options = options ?? new RouterOptions();
        this.options.Validate();
    }

    /// <summary>Number of slices known, ready or not.</summary>
    public int Count => slots.Count;

    /// <summary>Adds a slice executed by this process; its backlog is read exactly from <paramref name="backlog"/>.</summary>
    /// <param name="id">Unique slice id.</param>
    /// <param name="profile">Slice profile name, present in the latency model.</param>
    /// <param name="maxBatchSize">Largest batch the slice runs.</param>
    /// <param name="backlog">The slice's scheduler.</param>
    /// <param name="computeSize">Compute size; parsed from the profile's <c>Ng.</c> prefix when null.</param>
    public void AddLocalSlice(string id, string profile, int maxBatchSize, IBacklogSource backlog, int? computeSize = null)
    {
        ArgumentNullException.ThrowIfNull(backlog);
        Add(id, profile, maxBatchSize, computeSize, isLocal: true, TimeSpan.Zero, backlog, peer: null);
    }

    /// <summary>Adds a peer slice. It is routed to only after its first backlog report and while reports keep coming.</summary>
    /// <param name="id">Unique slice id.</param>
    /// <param name="profile">Slice profile name, present in the latency model.</param>
    /// <param name="maxBatchSize">Largest batch the slice runs.</param>
    /// <param name="transfer">Estimated time to move a request to the peer.</param>
    /// <param name="computeSize">Compute size; parsed from the profile's <c>Ng.</c> prefix when null.</param>
    public void AddPeerSlice(string id, string profile, int maxBatchSize, TimeSpan transfer, int? computeSize = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(transfer, TimeSpan.Zero);
        Add(id, profile, maxBatchSize, computeSize, isLocal: false, transfer, local: null, new PeerBacklog(id, options.LivenessWindow));
    }

    /// <summary>
    /// Removes a slice (pod gone). For a peer, its unanswered forwards are handed out split into
    /// not-started (retry elsewhere) and started (answer with an error). False when unknown.
    /// </summary>
    public bool RemoveSlice(string id, ICollection<ForwardRecord> notStarted, ICollection<ForwardRecord> started)
    {
        int index = IndexOf(id);
        if (index < 0)
        {
            return false;
        }

        slots[index].Peer?.TakeInFlight(notStarted, started);
        slots.RemoveAt(index);
        return true;
    }

    /// <summary>Marks a slice ready or not (warming up, draining). False when unknown.</summary>
    public bool SetReady(string id, bool ready) => Update(id, s => s.Ready = ready);

    /// <summary>Updates a peer's transfer estimate. False when unknown.</summary>
    public bool SetTransfer(string id, TimeSpan transfer) =>
        Update(id, s => s.Candidate = s.Candidate with { Transfer = transfer > TimeSpan.Zero ? transfer : TimeSpan.Zero });

    /// <summary>Records a peer's backlog report received at <paramref name="now"/>. False when the id is not a known peer.</summary>
    public bool ReportBacklog(string peerId, TimeSpan backlog, TimeSpan now)
    {
        if (Peer(peerId) is not { } peer)
        {
            return false;
        }

        peer.Report(backlog, now);
        return true;
    }

    /// <summary>Whether the router may send a peer requests: alive and not marked unready (draining, or its connection failed).</summary>
    public bool IsPeerRoutable(string peerId, TimeSpan now)
    {
        int index = IndexOf(peerId);
        return index >= 0 && slots[index] is { Ready: true, Peer: { } peer } && peer.IsAlive(now);
    }

    /// <summary>
    /// How long a known peer has not reported its backlog when that is past the liveness window (it is silent, so
    /// not routable whatever it last said); null when it reported within the window, or never has, or is unknown.
    /// </summary>
    public TimeSpan? PeerSilentFor(string peerId, TimeSpan now) =>
        Peer(peerId) is { LastReportAt: { } last } peer && !peer.IsAlive(now) ? now - last : null;

    /// <summary>Records that <paramref name="decision"/> was carried out by forwarding request <paramref name="requestId"/>.</summary>
    public void RecordForward(in RouteDecision decision, long requestId, TimeSpan now)
    {
        if (!decision.IsForward || Peer(decision.SliceId!) is not { } peer)
        {
            throw new ArgumentException($"Decision for slice '{decision.SliceId}' ({decision.Outcome}) is not a forward to a known peer.", nameof(decision));
        }

        peer.RecordForward(requestId, decision.PredictedLatency, now);
    }

    /// <summary>Marks a forwarded request as started on the peer. False when not in flight.</summary>
    public bool MarkForwardStarted(string peerId, long requestId) => Peer(peerId)?.MarkStarted(requestId) ?? false;

    /// <summary>Forgets a forwarded request whose answer came back. False when not in flight.</summary>
    public bool CompleteForward(string peerId, long requestId) => Peer(peerId)?.Complete(requestId) ?? false;

    /// <summary>
    /// Takes the unanswered forwards of every peer that is dead at <paramref name="now"/>:
    /// not-started ones can be re-routed, started ones must be answered with an error.
    /// </summary>
    public void CollectLostForwards(TimeSpan now, ICollection<ForwardRecord> notStarted, ICollection<ForwardRecord> started)
    {
        foreach (var slot in slots)
        {
            if (slot.Peer is { InFlightCount: > 0 } peer && !peer.IsAlive(now))
            {
                peer.TakeInFlight(notStarted, started);
            }
        }
    }

    /// <summary>Routes a request that arrived from a client, over all slices.</summary>
    public RouteDecision Route(in RouteRequest request, TimeSpan now) =>
        ElsaPolicy.Choose(in request, Fill(now), model, options, now, localOnly: false);

    /// <summary>Routes a request a peer forwarded here: only local slices are considered, so it is never forwarded twice.</summary>
    public RouteDecision RouteLocalOnly(in RouteRequest request, TimeSpan now) =>
        ElsaPolicy.Choose(in request, Fill(now), model, options, now, localOnly: true);

    /// <summary>The candidates as routing would see them at <paramref name="now"/> (a copy, for metrics and debugging).</summary>
    public IReadOnlyList<SliceCandidate> Snapshot(TimeSpan now) => Fill(now).ToArray();

    private ReadOnlySpan<SliceCandidate> Fill(TimeSpan now)
    {
        var span = scratch.AsSpan(0, slots.Count);
        for (int i = 0; i < span.Length; i++)
        {
            var slot = slots[i];
            span[i] = slot.Local is { } local
                ? slot.Candidate with { Backlog = local.Backlog(now), Ready = slot.Ready }
                : slot.Candidate with { Backlog = slot.Peer!.Estimate(now), Ready = slot.Ready && slot.Peer.IsAlive(now) };
        }

        return span;
    }

    private void Add(string id, string profile, int maxBatchSize, int? computeSize, bool isLocal, TimeSpan transfer, IBacklogSource? local, PeerBacklog? peer)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        if (IndexOf(id) >= 0)
        {
            throw new ArgumentException($"Slice '{id}' is already known to the router.", nameof(id));
        }

        int size = computeSize ?? SliceProfiles.ParseComputeSize(profile);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1, nameof(computeSize));
        var candidate = new SliceCandidate(id, model.Resolve(profile), size, isLocal, transfer, TimeSpan.Zero, maxBatchSize, Ready: true);
        slots.Add(new SliceSlot(candidate, local, peer));
        if (scratch.Length < slots.Count)
        {
            Array.Resize(ref scratch, Math.Max(8, scratch.Length * 2));
        }
    }

    private int IndexOf(string id) => slots.FindIndex(s => s.Candidate.Id == id);

    private PeerBacklog? Peer(string id)
    {
        int index = IndexOf(id);
        return index < 0 ? null : slots[index].Peer;
    }

    private bool Update(string id, Action<SliceSlot> change)
    {
        int index = IndexOf(id);
        if (index < 0)
        {
            return false;
        }

        change(slots[index]);
        return true;
    }

    private sealed class SliceSlot(SliceCandidate candidate, IBacklogSource? local, PeerBacklog? peer)
    {
        public SliceCandidate Candidate { get; set; } = candidate;

        public IBacklogSource? Local { get; } = local;

        public PeerBacklog? Peer { get; } = peer;

        public bool Ready { get; set; } = true;
    }
}
