using System.Globalization;
using k8s.Models;
using MigInfer.Operator.Kube;
using MigInfer.Operator.Rendering;
using MigInfer.Operator.Resources;
using MigInfer.Planning.Plans;

namespace MigInfer.Operator.Rollout;

/// <summary>
/// The pure rollout step: from the desired plan and the cluster as it is, decide which pods to drain,
/// which mig-parted configurations to write, which nodes to label and which slice pods to create.
/// Only GPUs whose layout changes are drained, and nodes the operator never configured are left alone until the plan uses them; nodes whose change needs no drain go first (their new
/// capacity comes up before old slices are taken away); at most the budget of GPUs is in flight. A GPU is relabelled
/// only when no pod is left on it, terminating ones included: mig-parted fails with ERROR_IN_USE while a process holds
/// a slice, and a deleted pod's containers run on through its grace period.
/// </summary>
internal static class RolloutDecider
{
    private static readonly TimeSpan MinWake = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// While pods drain or stop, look again this often. The pod watch normally wakes the pass when a pod goes; the
    /// recheck bounds the wait when that wake-up is lost, which would otherwise last until the next resync.
    /// </summary>
    public static readonly TimeSpan DrainRecheck = TimeSpan.FromSeconds(5);

    /// <param name="desired">The plan's GPUs.</param>
    /// <param name="nodes">The MIG state of each node.</param>
    /// <param name="pods">Every slice pod, stopping ones included.</param>
    /// <param name="policy">The rollout budget.</param>
    /// <param name="now">The time of this pass.</param>
    /// <param name="podSpecHash">
    /// The spec hash a slice pod for this service and slice would have now (<see cref="SlicePodRenderer.SpecHash"/>), or
    /// null when it cannot be rendered; a running pod whose annotation differs is replaced. Null: pods are never replaced
    /// for their spec.
    /// </param>
    public static RolloutDecision Decide(
        IReadOnlyList<PlannedGpu> desired,
        IReadOnlyDictionary<string, NodeMigState> nodes,
        IReadOnlyList<V1Pod> pods,
        RolloutPolicy policy,
        DateTimeOffset now,
        Func<string, SliceAssignment, string?>? podSpecHash = null)
    {
        var decision = new RolloutDecision();
        var podsByNode = pods.Where(p => p.Metadata.DeletionTimestamp is null).ToLookup(p => p.Metadata.Label(WellKnown.NodeLabel) ?? "");
        var stoppingByNode = pods.Where(p => p.Metadata.DeletionTimestamp is not null).ToLookup(p => p.Metadata.Label(WellKnown.NodeLabel) ?? "");
        var waiting = new List<(string Node, Dictionary<int, string> Layouts, List<int> Changed, List<V1Pod> Drain, int Stopping)>();
        foreach (var group in desired.GroupBy(g => g.Node).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var state = nodes.GetValueOrDefault(group.Key) ?? new NodeMigState(group.Key, null, null, null, 0, new Dictionary<int, string>());
            if (state.Layouts.Count == 0 && group.All(g => !g.Used))
            {
                // A node the plan gives no work and the operator never configured keeps whatever MIG layout it has.
                continue;
            }

            var want = group.ToDictionary(g => g.Index, g => GpuLayout.Key(g.Slices));
            var labelled = state.Layouts.Count > 0 && want.All(w => state.Layouts.GetValueOrDefault(w.Key) == w.Value);
            if (state.Config is not null && state.Layouts.Count > 0)
            {
                decision.Configs[state.Config] = state.Layouts;
            }

            if (labelled && state.Succeeded)
            {
                Converged(decision, group.ToList(), podsByNode[group.Key].ToList(), stoppingByNode[group.Key], desired, pods, podSpecHash);
                decision.Nodes.Add(Status(group.Key, state.Config, "success", [], null));
                continue;
            }

            var applied = state.Succeeded ? state.Layouts : new Dictionary<int, string>();
            var changed = want.Where(w => applied.GetValueOrDefault(w.Key) != w.Value).Select(w => w.Key).Order().ToList();
            decision.GpusToChange += changed.Count;
            if (labelled)
            {
                var elapsed = now - (state.Since ?? now);
                var backoff = policy.RetryBackoff * Math.Pow(2, Math.Min(state.Attempt, 8));
                if (state.Failed || elapsed >= policy.Timeout)
                {
                    var why = state.Failed ? "nvidia.com/mig.config.state is failed" : $"no success within {policy.Timeout.TotalSeconds:0} s";
                    decision.Failures.Add((group.Key, $"{why} for {state.Config} (attempt {state.Attempt + 1})"));
                    var retryAt = (state.Since ?? now) + (state.Failed ? backoff : policy.Timeout + backoff);
                    if (now >= retryAt)
                    {
                        decision.LabelNodes.Add((group.Key, Names.MigConfig(group.Key, Canonical(want), state.Attempt + 1), state.Attempt + 1));
                        decision.Configs[decision.LabelNodes[^1].Config] = want;
                    }
                    else
                    {
                        Wake(decision, retryAt - now);
                    }

                    decision.Nodes.Add(Status(group.Key, state.Config, "failed", changed, decision.Failures[^1].Message));
                }
                else
                {
                    decision.GpusInFlight += changed.Count;
                    Wake(decision, policy.Timeout - elapsed);
                    decision.Nodes.Add(Status(group.Key, state.Config, state.State ?? "pending", changed, null));
                }

                continue;
            }

            var drain = podsByNode[group.Key].Where(p => changed.Contains(GpuOf(p))).ToList();
            var stopping = stoppingByNode[group.Key].Count(p => changed.Contains(GpuOf(p)));
            waiting.Add((group.Key, want, changed, drain, stopping));
        }

        // Make before break: changes that drain nothing first, then the rest, within the budget.
        foreach (var (node, want, changed, drain, stopping) in waiting.OrderBy(w => w.Drain.Count + w.Stopping > 0).ThenBy(w => w.Node, StringComparer.Ordinal))
        {
            if (decision.GpusInFlight > 0 && decision.GpusInFlight + changed.Count > policy.MaxGpusInFlight)
            {
                decision.Nodes.Add(Status(node, nodes.GetValueOrDefault(node)?.Config, "waiting", changed, "waiting for the rollout budget"));
                continue;
            }

            decision.GpusInFlight += changed.Count;
            if (drain.Count > 0 || stopping > 0)
            {
                decision.DeletePods.AddRange(drain);
                var message = drain.Count > 0 ? $"draining {drain.Count} pods" : $"waiting for {stopping} terminating pods to stop";
                decision.Nodes.Add(Status(node, nodes.GetValueOrDefault(node)?.Config, "draining", changed, message));
                Wake(decision, DrainRecheck);
                continue;
            }

            var name = Names.MigConfig(node, Canonical(want), 0);
            decision.Configs[name] = want;
            decision.LabelNodes.Add((node, name, 0));
            decision.Nodes.Add(Status(node, name, "pending", changed, null));
        }

        return decision;
    }

    public static int GpuOf(V1Pod pod)
    {
        var reported = pod.Metadata.Annotation(WellKnown.MigDeviceAnnotation);
        var text = reported is not null && reported.Contains('/', StringComparison.Ordinal) ? reported[..reported.IndexOf('/', StringComparison.Ordinal)] : pod.Metadata.Label(WellKnown.GpuLabel);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var gpu) ? gpu : -1;
    }

    public static string Canonical(IReadOnlyDictionary<int, string> layouts) =>
        string.Join(';', layouts.OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}"));

    /// <summary>
    /// A node whose layout is applied: create its missing slice pods, replace ended ones, and delete the ones the plan
    /// moved away. <paramref name="stoppingPods"/> are the node's terminating pods; a slice pod's name holds its node,
    /// so a predecessor under the same name is among them.
    /// </summary>
    private static void Converged(RolloutDecision decision, List<PlannedGpu> gpus, List<V1Pod> pods, IEnumerable<V1Pod> stoppingPods, IReadOnlyList<PlannedGpu> all, IReadOnlyList<V1Pod> allPods, Func<string, SliceAssignment, string?>? podSpecHash)
    {
        var outdated = new List<(string Service, V1Pod Pod)>();
        var existing = pods.ToDictionary(p => p.Metadata.Name, StringComparer.Ordinal);
        var stopping = stoppingPods.Select(p => p.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var gpu in gpus)
        {
            foreach (var slice in gpu.Slices.Where(s => s.Service is not null))
            {
                var service = slice.Service!;
                var serviceName = service[(service.IndexOf('/', StringComparison.Ordinal) + 1)..];
                var name = Names.SlicePod(serviceName, gpu.Node, gpu.Index, slice.Start);
                wanted.Add(name);
                if (existing.TryGetValue(name, out var pod) && pod.Metadata.Label(WellKnown.ProfileLabel) == Names.ProfileLabel(slice.Profile))
                {
                    if (!Ended(pod))
                    {
                        if (podSpecHash?.Invoke(service, new SliceAssignment(gpu.Node, gpu.Index, slice.Start, slice.Profile)) is { } current
                            && pod.Metadata.Annotation(WellKnown.PodSpecHashAnnotation) != current)
                        {
                            outdated.Add((service, pod));
                        }

                        continue;
                    }

                    var why = string.Join(": ", new[] { pod.Status!.Reason, pod.Status.Message }.Where(t => !string.IsNullOrEmpty(t)));
                    decision.Ended.Add((pod, $"slice pod {pod.Metadata.Name} ended in phase {pod.Status.Phase}{(why.Length > 0 ? $" ({why})" : "")}; it is replaced on the same slice"));
                }

                if (stopping.Contains(name))
                {
                    // Its predecessor under the same name is still stopping; create it once that one is gone.
                    Wake(decision, DrainRecheck);
                    continue;
                }

                decision.CreatePods.Add((service, new SliceAssignment(gpu.Node, gpu.Index, slice.Start, slice.Profile)));
            }
        }

        var recreated = pods.Where(p => decision.CreatePods.Any(c => Names.SlicePod(c.Service[(c.Service.IndexOf('/', StringComparison.Ordinal) + 1)..], c.Slice.Node, c.Slice.Gpu, c.Slice.Start) == p.Metadata.Name));
        var slotsWanted = gpus.SelectMany(g => g.Slices.Where(s => s.Service is not null).Select(s => (g.Index, s.Start))).ToHashSet();

        // Make before break: a pod the plan no longer wants goes at once when its slice is someone else's now;
        // otherwise it keeps serving until every planned pod of its service runs and is ready.
        var unwanted = pods.Where(p => !wanted.Contains(p.Metadata.Name)).Where(p =>
            slotsWanted.Contains((GpuOf(p), int.TryParse(p.Metadata.Label(WellKnown.StartLabel), NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : -1))
            || ServiceReady($"{p.Metadata.NamespaceProperty}/{p.Metadata.Label(WellKnown.ServiceLabel)}", all, allPods));
        // A changed InferenceService: one pod of the service at a time, and only while all its planned slices serve, so
        // the others carry the load while it is created again; the pod watch wakes the next pass for the next one.
        foreach (var (service, pod) in outdated.OrderBy(o => o.Pod.Metadata.Name, StringComparer.Ordinal))
        {
            var busy = decision.Outdated.Any(o => o.Service == service) || decision.CreatePods.Any(c => c.Service == service);
            if (busy || !ServiceReady(service, all, allPods))
            {
                Wake(decision, DrainRecheck);
                continue;
            }

            decision.Outdated.Add((service, pod, $"slice pod {pod.Metadata.Name} runs an older spec of {service}; it is replaced on the same slice"));
        }

        var delete = recreated.Concat(unwanted).Concat(decision.Outdated.Select(o => o.Pod).Where(pods.Contains)).Distinct().ToList();
        decision.DeletePods.AddRange(delete);
        if (delete.Count > 0)
        {
            Wake(decision, DrainRecheck);
        }
    }

    /// <summary>
    /// A pod whose containers will not run again (evicted, or exited under a restart policy that lets it): nothing
    /// else recreates a bare pod, so the rollout replaces it as a ReplicaSet would.
    /// </summary>
    private static bool Ended(V1Pod pod) => pod.Status?.Phase is "Failed" or "Succeeded";

    private static bool ServiceReady(string service, IReadOnlyList<PlannedGpu> all, IReadOnlyList<V1Pod> allPods)
    {
        var serviceName = service[(service.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var ready = allPods.Where(p => p.Metadata.DeletionTimestamp is null && p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
            .Select(p => p.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        return all.All(g => g.Slices.Where(s => s.Service == service).All(s => ready.Contains(Names.SlicePod(serviceName, g.Node, g.Index, s.Start))));
    }

    /// <summary>
    /// Wakes the pass again after <paramref name="after"/>, at least <see cref="MinWake"/> later so it never spins. Not a
    /// whole second: a timer that fires a little early must not skip the window in which a timeout is reported.
    /// </summary>
    private static void Wake(RolloutDecision decision, TimeSpan after)
    {
        after = after < MinWake ? MinWake : after;
        decision.WakeUp = decision.WakeUp is { } w && w < after ? w : after;
    }

    private static NodeRolloutStatus Status(string node, string? config, string state, List<int> gpus, string? message) =>
        new() { Node = node, Config = config, State = state, GpusChanging = gpus.Count > 0 ? gpus : null, Message = message };
}
