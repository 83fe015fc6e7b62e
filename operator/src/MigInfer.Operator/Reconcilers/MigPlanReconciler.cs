using System.Collections.Immutable;
using System.Diagnostics;
using k8s;
using k8s.Models;
using MigInfer.Operator.Controllers;
using MigInfer.Operator.Hosting;
using MigInfer.Operator.Kube;
using MigInfer.Operator.Nodes;
using MigInfer.Operator.Observability;
using MigInfer.Operator.Planning;
using MigInfer.Operator.Resources;
using MigInfer.Operator.Rollout;
using MigInfer.Planning;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Documents;
using MigInfer.Planning.Model;
using MigInfer.Planning.Planners;
using MigInfer.Planning.Plans;

namespace MigInfer.Operator.Reconcilers;

/// <summary>
/// The MigPlan reconciler (leader only): gathers nodes, services, current layouts and slice pods from the caches,
/// plans when the inputs changed (the plan is memoised by their fingerprint, in memory and in status, so a restart
/// or a rollout step does not solve again), writes the plan to status, and carries out one rollout step.
/// </summary>
internal sealed class MigPlanReconciler(
    ClusterState cluster,
    MigConfigMap migConfig,
    RolloutApplier rollout,
    EventRecorder events,
    IPlanner planner,
    GpuCatalog catalog,
    OperatorMetrics metrics,
    TimeProvider time,
    ILogger logger,
    TimeSpan profileRefRecheck,
    Action<PlanSnapshot> published) : IReconciler
{
    private (string Fingerprint, MigPlanResult Plan)? _memo;

    public string Kind => MigPlan.KindName;

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancel)
    {
        // 1. The MigPlan holds the policy; without it nothing is planned.
        var migPlan = cluster.MigPlans.Cache.Get(key);
        if (migPlan is null || migPlan.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done;
        }

        // 2. Gather an immutable input from the caches and the mig-parted ConfigMap.
        var now = time.GetUtcNow();
        var policy = PlanningPolicies.Planner(migPlan.Spec);
        var readings = cluster.Nodes.Cache.List().Select(n => GpuNodeReader.Read(n, catalog)).Where(r => r.IsGpuNode).OrderBy(r => r.Node, StringComparer.Ordinal).ToList();
        var services = cluster.InferenceServices.Cache.List().Where(s => s.Metadata.DeletionTimestamp is null).ToList();
        var configMapName = PlanningPolicies.MigConfigMap(migPlan.Spec);
        var configMap = await migConfig.GetAsync(configMapName.Namespace, configMapName.Name, cancel);
        var participating = readings.Where(r => r.Participates).Select(r => r.Node).ToHashSet(StringComparer.Ordinal);
        var states = NodeStates.Read(cluster.Nodes.Cache.List().Where(n => participating.Contains(n.Metadata.Name)), configMap);
        var pods = cluster.Pods.Cache.List().Where(p => p.Metadata.Label(WellKnown.Component) == "slice").ToList();
        var (profiles, profileVersions) = await ProfileConfigMaps.ReadAsync(cluster.Apis.Client, services, cancel);

        // 3. Plan when the inputs changed.
        var observed = PlanningPolicies.UseObservedProfile(migPlan.Spec);
        var fingerprint = PlanInputs.Fingerprint(policy, services, readings, observed, profileVersions);
        var (plan, fresh) = Memoised(fingerprint, migPlan.Status) is { } known ? (known, false) : (Solve(policy, observed, profiles, services, readings, states, pods), true);
        _memo = (fingerprint, plan);

        // 4. One rollout step towards the plan, within the budget.
        var rolloutPolicy = PlanningPolicies.Rollout(migPlan.Spec);
        var decision = RolloutDecider.Decide(plan.Gpus, states, pods, rolloutPolicy, now, rollout.PodSpecHash);
        await rollout.ApplyAsync(decision, configMapName, cancel);

        // 5. Status, events and metrics from what was planned and observed.
        var status = BuildStatus(migPlan, plan, fingerprint, fresh, readings, decision, now);
        if (!Same(status, migPlan.Status))
        {
            var updated = await cluster.Apis.MigPlans.ReplaceStatusAsync(new MigPlan { Metadata = migPlan.Metadata, Spec = migPlan.Spec, Status = status }, cancel);
            cluster.MigPlans.Cache.Observe(updated);
        }

        await RecordAsync(migPlan, plan, fresh, readings, decision, cancel);
        Measure(plan, decision);

        // 6. Publish the plan for the InferenceService reconciler.
        published(new PlanSnapshot(plan,
            services.ToImmutableDictionary(ServiceDemands.NameOf, s => s.Metadata.Generation ?? 0, StringComparer.Ordinal),
            [.. decision.Nodes.Where(n => n.State == "success").Select(n => n.Node!)]));
        // ConfigMaps named by profileRef are read, not watched: look again within a minute while any is used.
        var wakeUp = services.Any(ProfileConfigMaps.Uses) && (decision.WakeUp is not { } w || w > profileRefRecheck) ? profileRefRecheck : decision.WakeUp;
        return wakeUp is { } wake ? ReconcileResult.RequeueAfter(wake) : ReconcileResult.Done;
    }

    private MigPlanResult? Memoised(string fingerprint, MigPlanStatus? status) =>
        _memo is { } memo && memo.Fingerprint == fingerprint ? memo.Plan
        : status?.InputHash == fingerprint ? PlanStatus.Read(status)
        : null;

    private MigPlanResult Solve(PlanningPolicy policy, bool useObservedProfile, ConfigMapSet profiles, List<InferenceService> services, List<NodeReading> readings, Dictionary<string, NodeMigState> states, List<V1Pod> pods)
    {
        var demands = services.Select(s => ServiceDemands.Convert(s, catalog, useObservedProfile, profiles).Demand).OfType<ServiceDemand>().OrderBy(d => d.Name, StringComparer.Ordinal).ToImmutableArray();
        var nodes = readings.Where(r => r.Participates).Select(r => r.Inventory! with { Gpus = Current(r.Node, states, pods) }).ToImmutableArray();
        var clock = Stopwatch.StartNew();
        var plan = planner.Plan(new PlanningProblem(new ClusterInventory(nodes), demands, policy));
        metrics.PlanSolveDuration.Observe(clock.Elapsed.TotalSeconds);
        metrics.Plans.Inc();
        logger.Planned(demands.Length, plan.Gpus.Length, plan.GpusUsed, plan.SolveTimeMs, plan.Status, plan.Gap);
        return plan;
    }

    /// <summary>The layouts a node runs now (applied with success) and which service owns each slice, from the pods there.</summary>
    private static ImmutableArray<GpuState> Current(string node, Dictionary<string, NodeMigState> states, List<V1Pod> pods)
    {
        if (states.GetValueOrDefault(node) is not { Succeeded: true } state)
        {
            return [];
        }

        var owners = pods.Where(p => p.Metadata.Label(WellKnown.NodeLabel) == node && p.Metadata.DeletionTimestamp is null)
            .GroupBy(p => (RolloutDecider.GpuOf(p), p.Metadata.Label(WellKnown.StartLabel)))
            .ToDictionary(g => g.Key, g => $"{g.First().Metadata.NamespaceProperty}/{g.First().Metadata.Label(WellKnown.ServiceLabel)}");
        return [.. state.Layouts.OrderBy(l => l.Key).Select(l => new GpuState(l.Key,
            [.. GpuLayout.Parse(l.Value).Select(s => s with { Service = owners.GetValueOrDefault((l.Key, s.Start.ToString(System.Globalization.CultureInfo.InvariantCulture))) })]))];
    }

    private static MigPlanStatus BuildStatus(MigPlan migPlan, MigPlanResult plan, string fingerprint, bool fresh, List<NodeReading> readings, RolloutDecision decision, DateTimeOffset now)
    {
        var previous = migPlan.Status;
        var status = new MigPlanStatus { ObservedGeneration = migPlan.Metadata.Generation };
        PlanStatus.Write(status, plan, fingerprint, fresh || previous?.PlannedAt is null ? now : new DateTimeOffset(DateTime.SpecifyKind(previous.PlannedAt.Value, DateTimeKind.Utc)));
        status.ExcludedNodes = readings.Where(r => !r.Participates).Select(r => new ExcludedNodeStatus { Node = r.Node, Reason = r.Reason, Message = r.Message }).ToList() is { Count: > 0 } excluded ? excluded : null;
        status.Rollout = new RolloutStatus { Phase = decision.Phase, GpusToChange = decision.GpusToChange, GpusInFlight = decision.GpusInFlight, Nodes = decision.Nodes.Count > 0 ? decision.Nodes : null };
        var failed = decision.Failures.Count > 0;
        status.Conditions =
        [
            Conditions.Make(previous?.Conditions, "Planned", Conditions.True, "PlanComputed",
                $"{plan.Services.Length} services on {plan.GpusUsed} of {plan.Gpus.Length} GPUs; {plan.Unmet.Length} unmet", migPlan.Metadata.Generation, now),
            Conditions.Make(previous?.Conditions, "Applied",
                decision.Phase == "Idle" ? Conditions.True : Conditions.False,
                decision.Phase == "Idle" ? "RolloutComplete" : failed ? "MigReconfigureFailed" : "RolloutInProgress",
                failed ? string.Join("; ", decision.Failures.Select(f => $"{f.Node}: {f.Message}"))
                    : $"{decision.GpusToChange} GPUs to change, {decision.GpusInFlight} in flight",
                migPlan.Metadata.Generation, now),
        ];
        return status;
    }

    private async Task RecordAsync(MigPlan migPlan, MigPlanResult plan, bool fresh, List<NodeReading> readings, RolloutDecision decision, CancellationToken cancel)
    {
        var self = EventRecorder.Reference(migPlan);
        if (fresh)
        {
            await events.RecordAsync(self, "Normal", "PlanComputed",
                $"{plan.Services.Length} services on {plan.GpusUsed} of {plan.Gpus.Length} GPUs ({plan.Status}, gap {plan.Gap:0.####}, {plan.SolveTimeMs} ms); {plan.Diff.GpusChanged} GPUs change", cancel);
            foreach (var excluded in readings.Where(r => !r.Participates))
            {
                logger.NodeExcluded(excluded.Node, excluded.Reason!, excluded.Message!);
                await events.RecordAsync(self, "Warning", "NodeExcluded", $"{excluded.Node}: {excluded.Reason}: {excluded.Message}", cancel);
            }
        }

        foreach (var (pod, message) in decision.Ended)
        {
            var owner = cluster.InferenceServices.Cache.Get(ObjectCache<InferenceService>.KeyOf(pod.Metadata.NamespaceProperty, pod.Metadata.Label(WellKnown.ServiceLabel) ?? ""));
            var target = owner is null
                ? new V1ObjectReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty, Uid = pod.Metadata.Uid }
                : EventRecorder.Reference(owner);
            await events.RecordAsync(target, "Warning", "SlicePodEnded", message, cancel);
        }

        foreach (var (service, _, message) in decision.Outdated)
        {
            if (cluster.InferenceServices.Cache.Get(service) is { } owner)
            {
                await events.RecordAsync(EventRecorder.Reference(owner), "Normal", "SlicePodReplaced", message, cancel);
            }
        }

        foreach (var (node, message) in decision.Failures)
        {
            var target = cluster.Nodes.Cache.Get(node);
            var reference = target is null ? self : new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = node, Uid = target.Metadata.Uid };
            logger.MigFailed(node, message);
            await events.RecordAsync(reference, "Warning", "MigReconfigureFailed", message, cancel);
        }
    }

    private void Measure(MigPlanResult plan, RolloutDecision decision)
    {
        metrics.PlanGap.Set(plan.Gap);
        metrics.GpusUsed.Set(plan.GpusUsed);
        metrics.GpusTotal.Set(plan.Gpus.Length);
        var perProfile = plan.Gpus.SelectMany(g => g.Slices).Where(s => s.Service is not null).GroupBy(s => s.Profile).ToDictionary(g => g.Key, g => g.Count());
        foreach (var profile in metrics.SlicesPerProfile.GetAllLabelValues().Select(l => l[0]).Concat(perProfile.Keys).Distinct())
        {
            metrics.SlicesPerProfile.WithLabels(profile).Set(perProfile.GetValueOrDefault(profile));
        }

        foreach (var phase in OperatorMetrics.RolloutPhases)
        {
            metrics.RolloutPhase.WithLabels(phase).Set(phase == decision.Phase ? 1 : 0);
        }

        metrics.RolloutGpusToChange.Set(decision.GpusToChange);
        metrics.RolloutGpusInFlight.Set(decision.GpusInFlight);
    }

    private static bool Same(MigPlanStatus a, MigPlanStatus? b) => b is not null && KubernetesJson.Serialize(a) == KubernetesJson.Serialize(b);
}
