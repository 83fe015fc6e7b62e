using k8s.Models;
using MigInfer.Operator.Controllers;
using MigInfer.Operator.Kube;
using MigInfer.Operator.Observability;
using MigInfer.Operator.Planning;
using MigInfer.Operator.Probing;
using MigInfer.Operator.Resources;

namespace MigInfer.Operator.Hosting;

/// <summary>
/// The operator's view of the cluster: the APIs, one informer per watched kind (the mig-parted ConfigMap is read
/// directly, see <see cref="MigConfigMap"/>), and the leader's current plan.
/// </summary>
internal sealed class ClusterState(KubeApis apis, InformerOptions options, OperatorMetrics metrics, TimeProvider time, ILoggerFactory logs)
{
    private PlanSnapshot _plan = PlanSnapshot.Empty;

    public KubeApis Apis => apis;

    public Informer<V1Node> Nodes { get; } = new(apis.Nodes, options, metrics, time, logs.CreateLogger("MigInfer.Operator.Informer.Node"));

    public Informer<V1Pod> Pods { get; } = new(apis.Pods, options, metrics, time, logs.CreateLogger("MigInfer.Operator.Informer.Pod"));

    public Informer<V1Service> Services { get; } = new(apis.Services, options, metrics, time, logs.CreateLogger("MigInfer.Operator.Informer.Service"));

    public Informer<V1PodDisruptionBudget> DisruptionBudgets { get; } = new(apis.DisruptionBudgets, options, metrics, time, logs.CreateLogger("MigInfer.Operator.Informer.PodDisruptionBudget"));

    public Informer<InferenceService> InferenceServices { get; } = new(apis.InferenceServices, options, metrics, time, logs.CreateLogger("MigInfer.Operator.Informer.InferenceService"));

    public Informer<MigPlan> MigPlans { get; } = new(apis.MigPlans, options, metrics, time, logs.CreateLogger("MigInfer.Operator.Informer.MigPlan"));

    /// <summary>The slice servers' last reports (<c>GET /v2/slice</c>), filled by the leader's prober.</summary>
    public SliceReports Reports { get; } = new();

    public PlanSnapshot Plan
    {
        get => Volatile.Read(ref _plan);
        set => Volatile.Write(ref _plan, value);
    }

    public Task RunAsync(CancellationToken cancel) => Task.WhenAll(
        Nodes.RunAsync(cancel), Pods.RunAsync(cancel), Services.RunAsync(cancel), DisruptionBudgets.RunAsync(cancel), InferenceServices.RunAsync(cancel), MigPlans.RunAsync(cancel));

    public Task Synced => Task.WhenAll(Nodes.Synced, Pods.Synced, Services.Synced, DisruptionBudgets.Synced, InferenceServices.Synced, MigPlans.Synced);
}
