using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MigInfer.Operator.Hosting;
using MigInfer.Operator.Kube;
using MigInfer.Operator.Observability;
using MigInfer.Operator.Rendering;
using MigInfer.Operator.Resources;
using MigInfer.Operator.Rollout;

namespace MigInfer.Operator.Reconcilers;

/// <summary>
/// Carries out one <see cref="RolloutDecision"/> in its order: drain pods, write the mig-parted configurations,
/// label nodes, create slice pods. Every write is idempotent (deterministic names; 404 on delete and 409 on create
/// mean it is done already), so a pass cut short by a crash or a lost Lease is simply repeated.
/// </summary>
internal sealed class RolloutApplier(ClusterState cluster, MigConfigMap migConfig, OperatorOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>The spec hash a slice pod of <paramref name="service"/> on <paramref name="slice"/> would have now; null when it cannot be rendered.</summary>
    public string? PodSpecHash(string service, SliceAssignment slice) =>
        Renderable(service) is { } owner ? SlicePodRenderer.SpecHash(owner, slice, options) : null;

    /// <summary>Applies the decision; returns how many objects it changed.</summary>
    public async Task<int> ApplyAsync(RolloutDecision decision, (string Namespace, string Name) configMap, CancellationToken cancel)
    {
        var writes = 0;
        foreach (var pod in decision.DeletePods)
        {
            logger.RolloutStep(pod.Metadata.Label(WellKnown.NodeLabel) ?? "?", $"delete pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}");
            await IgnoreAsync(HttpStatusCode.NotFound, () => cluster.Apis.Pods.DeleteAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, cancel));
            cluster.Pods.Cache.MarkDeleting(pod, time.GetUtcNow());
            writes++;
        }

        if (decision.LabelNodes.Count > 0 || decision.Configs.Count > 0)
        {
            writes += await migConfig.WriteAsync(configMap.Namespace, configMap.Name, decision.Configs, cancel) ? 1 : 0;
        }

        foreach (var (node, config, attempt) in decision.LabelNodes)
        {
            logger.RolloutStep(node, $"set {WellKnown.MigConfig}={config} (attempt {attempt})");
            var patch = new
            {
                metadata = new
                {
                    // The old state belongs to the old configuration; without it the new one cannot look applied before the MIG manager acts.
                    labels = new Dictionary<string, string?> { [WellKnown.MigConfig] = config, [WellKnown.MigConfigState] = null },
                    annotations = new Dictionary<string, string>
                    {
                        [WellKnown.MigConfigSinceAnnotation] = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
                        [WellKnown.MigConfigAttemptAnnotation] = attempt.ToString(CultureInfo.InvariantCulture),
                    },
                },
            };
            var patched = await cluster.Apis.Nodes.PatchAsync(null, node, new V1Patch(KubernetesJson.Serialize(patch), V1Patch.PatchType.MergePatch), cancel);
            cluster.Nodes.Cache.Observe(patched);
            writes++;
        }

        foreach (var (service, slice) in decision.CreatePods)
        {
            if (Renderable(service) is not { } owner)
            {
                continue;
            }

            var pod = SlicePodRenderer.Render(owner, slice, options);
            try
            {
                cluster.Pods.Cache.Observe(await cluster.Apis.Pods.CreateAsync(pod, cancel));
                writes++;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // Created by an earlier pass or the previous leader; the watch brings it.
            }
        }

        return writes;
    }

    /// <summary>The InferenceService slice pods are rendered from: known, not being deleted, with a model.</summary>
    private InferenceService? Renderable(string service) =>
        cluster.InferenceServices.Cache.Get(service) is { Metadata.DeletionTimestamp: null, Spec.Model.StorageUri: not null } owner ? owner : null;

    private static async Task IgnoreAsync(HttpStatusCode code, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == code)
        {
        }
    }
}
