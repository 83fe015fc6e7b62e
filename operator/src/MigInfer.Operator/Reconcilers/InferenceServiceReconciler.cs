using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MigInfer.Operator.Controllers;
using MigInfer.Operator.Hosting;
using MigInfer.Operator.Kube;
using MigInfer.Operator.Observability;
using MigInfer.Operator.Planning;
using MigInfer.Operator.Probing;
using MigInfer.Operator.Rendering;
using MigInfer.Operator.Resources;
using MigInfer.Planning.Catalog;

namespace MigInfer.Operator.Reconcilers;

/// <summary>
/// The InferenceService reconciler: finalizer, the client and peer Services, and status rebuilt from the world.
/// Slices and pods are the MigPlan reconciler's; deleting a service waits until the plan no longer gives it a
/// slice and its pods are gone, then lets it go. Spec problems set Ready=False and wait for the next change.
/// </summary>
internal sealed class InferenceServiceReconciler(
    ClusterState cluster,
    GpuCatalog catalog,
    OperatorOptions options,
    TimeProvider time,
    ILogger logger,
    Action requestPlan) : IReconciler
{
    public string Kind => InferenceService.KindName;

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancel)
    {
        // 1. From the cache; gone means done (owner references collect the rest).
        var service = cluster.InferenceServices.Cache.Get(key);
        if (service is null)
        {
            return ReconcileResult.Done;
        }

        var pods = cluster.Pods.Cache.List().Where(p => p.Metadata.NamespaceProperty == service.Metadata.NamespaceProperty
            && p.Metadata.Label(WellKnown.ServiceLabel) == service.Metadata.Name && p.Metadata.Label(WellKnown.Component) == "slice").ToList();

        // 2. Deleting: free the slices first (the plan drops the service), then release the finalizer.
        if (service.Metadata.DeletionTimestamp is not null)
        {
            return await FinalizeAsync(service, pods, cancel);
        }

        // 3. Own it with the finalizer before anything is planned for it.
        if (service.Metadata.Finalizers?.Contains(WellKnown.Finalizer) != true)
        {
            service.Metadata.Finalizers = [.. service.Metadata.Finalizers ?? [], WellKnown.Finalizer];
            service = await cluster.Apis.InferenceServices.ReplaceAsync(service, cancel);
            cluster.InferenceServices.Cache.Observe(service);
        }

        // 4. The spec as the planner reads it; a problem is reported, not retried (a profileRef is read again within a minute).
        var profiles = ProfileConfigMaps.Uses(service) ? (await ProfileConfigMaps.ReadAsync(cluster.Apis.Client, [service], cancel)).Maps : null;
        var (_, problem) = ServiceDemands.Convert(service, catalog, profiles: profiles);
        if (problem is not null)
        {
            logger.SpecProblem(key, "InvalidSpec", problem);
        }

        // 5. The Services clients and peers use.
        await EnsureAsync(ServiceRenderer.Client(service), cancel);
        await EnsureAsync(ServiceRenderer.Peers(service), cancel);
        await EnsureBudgetAsync(service, cancel);

        // 6. Status from the plan, the pods and their servers' reports, written only when it changed.
        var observed = ObservedProfiles.Stabilize(service.Status?.ObservedProfile, ObservedProfiles.Aggregate(pods.Select(cluster.Reports.For).OfType<SliceReport>()));
        var status = ServiceStatusBuilder.Build(service, problem, cluster.Plan, pods, options.ClusterDomain, time.GetUtcNow(), observed);
        if (service.Status is null || KubernetesJson.Serialize(status) != KubernetesJson.Serialize(service.Status))
        {
            var written = await cluster.Apis.InferenceServices.ReplaceStatusAsync(
                new InferenceService { Metadata = service.Metadata, Spec = service.Spec, Status = status }, cancel);
            cluster.InferenceServices.Cache.Observe(written);

            // The plan may use the observed profile (MigPlan spec.planner.useObservedProfile); its fingerprint decides
            // whether it matters. Woken from here because the watch event of this write may find the cache already current.
            if (Observed(status) != Observed(service.Status))
            {
                requestPlan();
            }
        }

        return ProfileConfigMaps.Uses(service) ? ReconcileResult.RequeueAfter(options.ProfileRefRecheck) : ReconcileResult.Done;
    }

    private static string? Observed(InferenceServiceStatus? status) =>
        status?.ObservedProfile is { } observed ? KubernetesJson.Serialize(observed) : null;

    private async Task<ReconcileResult> FinalizeAsync(InferenceService service, List<V1Pod> pods, CancellationToken cancel)
    {
        if (service.Metadata.Finalizers?.Contains(WellKnown.Finalizer) != true)
        {
            return ReconcileResult.Done;
        }

        // Without a MigPlan nothing plans the slices away; garbage collection takes the pods once the finalizer is gone.
        var name = ServiceDemands.NameOf(service);
        var planning = cluster.MigPlans.Cache.Get(MigPlan.DefaultName) is not null;
        var planned = cluster.Plan.Plan?.Gpus.Any(g => g.Slices.Any(s => s.Service == name)) == true;
        if (planning && (planned || pods.Count > 0))
        {
            // The MigPlan pass that drops the service publishes a new plan and deletes the pods; both wake this key.
            requestPlan();
            return ReconcileResult.Done;
        }

        service.Metadata.Finalizers = [.. service.Metadata.Finalizers.Where(f => f != WellKnown.Finalizer)];
        try
        {
            await cluster.Apis.InferenceServices.ReplaceAsync(service, cancel);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }

        return ReconcileResult.Done;
    }

    /// <summary>
    /// The PodDisruptionBudget: as many available slices as the current plan gives the service, created once the plan
    /// gives it any (before that there is nothing to protect); deleted while the MigPlan turns budgets off.
    /// </summary>
    private async Task EnsureBudgetAsync(InferenceService service, CancellationToken cancel)
    {
        var current = cluster.DisruptionBudgets.Cache.Get(ObjectCache<V1PodDisruptionBudget>.KeyOf(service.Metadata.NamespaceProperty, Names.DisruptionBudget(service.Metadata.Name)));
        if (cluster.MigPlans.Cache.Get(MigPlan.DefaultName)?.Spec?.Rollout?.DisruptionBudgets == false)
        {
            if (current is not null)
            {
                try
                {
                    await cluster.Apis.DisruptionBudgets.DeleteAsync(current.Metadata.NamespaceProperty, current.Metadata.Name, cancel);
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
                {
                }
            }

            return;
        }

        var planned = cluster.Plan.Plan?.Services.FirstOrDefault(s => s.Service == ServiceDemands.NameOf(service))?.Slices.Values.Sum() ?? 0;
        var wanted = DisruptionBudgetRenderer.Render(service, planned);
        try
        {
            if (current is null && planned > 0)
            {
                cluster.DisruptionBudgets.Cache.Observe(await cluster.Apis.DisruptionBudgets.CreateAsync(wanted, cancel));
            }
            else if (current is not null && current.Spec?.MinAvailable?.Value != wanted.Spec.MinAvailable.Value)
            {
                var updated = new V1PodDisruptionBudget { ApiVersion = wanted.ApiVersion, Kind = wanted.Kind, Metadata = current.Metadata, Spec = wanted.Spec };
                cluster.DisruptionBudgets.Cache.Observe(await cluster.Apis.DisruptionBudgets.ReplaceAsync(updated, cancel));
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Created, or changed, since this process saw it; the watch brings it and wakes the service again.
        }
    }

    private async Task EnsureAsync(V1Service wanted, CancellationToken cancel)
    {
        if (cluster.Services.Cache.Get(ObjectCache<V1Service>.KeyOf(wanted.Metadata.NamespaceProperty, wanted.Metadata.Name)) is not null)
        {
            return;
        }

        try
        {
            cluster.Services.Cache.Observe(await cluster.Apis.Services.CreateAsync(wanted, cancel));
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Created before this process saw it; the watch brings it.
        }
    }
}
