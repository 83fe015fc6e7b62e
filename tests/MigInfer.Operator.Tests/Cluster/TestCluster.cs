using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using MigInfer.Operator.Controllers;
using MigInfer.Operator.Hosting;
using MigInfer.Operator.Observability;
using MigInfer.Operator.Resources;
using MigInfer.Operator.Tests.FakeApi;
using MigInfer.Operator.Tests.Fixtures;
using Prometheus;

namespace MigInfer.Operator.Tests.Cluster;

/// <summary>
/// A fake cluster for operator tests: the fake API server with GPU nodes and the MigPlan, a fake MIG manager and
/// a fake kubelet, and operator replicas started and stopped at will, each with its own real KubernetesClient.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private readonly List<RunningOperator> _operators = [];

    private TestCluster(FakeApiServer server, Kubernetes client, FakeMigManager mig, FakeKubelet kubelet, FakeSliceServer slices, TestLog? log)
    {
        Slices = slices;
        Log = log;
        Server = server;
        Client = client;
        Mig = mig;
        Kubelet = kubelet;
    }

    /// <summary>Where the operators log; null discards.</summary>
    public TestLog? Log { get; }

    public FakeApiServer Server { get; }

    public Kubernetes Client { get; }

    public FakeMigManager Mig { get; }

    public FakeKubelet Kubelet { get; }

    /// <summary>The slice pods' servers, as far as <c>GET /v2/slice</c> goes.</summary>
    public FakeSliceServer Slices { get; }

    public static async Task<TestCluster> StartAsync(int nodes, int gpus, TestLog? log = null, MigPlan? plan = null, TimeSpan? migApplyTime = null)
    {
        var server = await FakeApiServer.StartAsync().Within();
        server.BookmarkInterval = TimeSpan.FromMilliseconds(100);
        var client = server.CreateClient();
        for (var i = 0; i < nodes; i++)
        {
            await client.CoreV1.CreateNodeAsync(TestServices.GpuNode($"gpu-{i}", gpus)).Within();
        }

        await client.CustomObjects.CreateClusterCustomObjectAsync(plan ?? TestServices.Plan(), MigInferApi.Group, MigInferApi.Version, MigPlan.Plural).Within();
        var mig = new FakeMigManager(server.Store, migApplyTime ?? TimeSpan.FromMilliseconds(50));
        return new TestCluster(server, client, mig, new FakeKubelet(server.Store), await FakeSliceServer.StartAsync(server.Store).Within(), log);
    }

    public RunningOperator StartOperator(string identity = "operator-0", bool leaderElection = false, TimeSpan? leaseDuration = null, TimeSpan? sliceProbeInterval = null)
    {
        var client = Server.CreateClient();
        var options = new OperatorOptions
        {
            Identity = identity,
            LeaderElection = leaderElection,
            LeaseNamespace = "miginfer-system",
            LeaseDuration = leaseDuration ?? TimeSpan.FromSeconds(2),
            RenewDeadline = TimeSpan.FromSeconds(1.5),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
            Workers = 2,
            SliceProbeInterval = sliceProbeInterval ?? TimeSpan.FromMilliseconds(500),
            ProfileRefRecheck = TimeSpan.FromMilliseconds(500),
        };
        var informers = new InformerOptions { WatchTimeout = TimeSpan.FromSeconds(30), ErrorBackoff = new Backoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200)) };
        var metrics = new OperatorMetrics(new CollectorRegistry());
        var host = new OperatorHost(client, options, informers, metrics, TimeProvider.System, Log?.Factory() ?? NullLoggerFactory.Instance, Slices.AddressOf);
        var running = new RunningOperator(host, client, metrics);
        _operators.Add(running);
        return running;
    }

    public async Task<InferenceService> ApplyAsync(InferenceService service) =>
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync<InferenceService>(service, MigInferApi.Group, MigInferApi.Version, service.Metadata.NamespaceProperty, InferenceService.Plural).Within();

    public async Task<InferenceService?> GetServiceAsync(string name, string ns = "ml")
    {
        var list = await Client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<InferenceService>>(MigInferApi.Group, MigInferApi.Version, ns, InferenceService.Plural).Within();
        return list.Items.FirstOrDefault(s => s.Metadata.Name == name);
    }

    public async Task<MigPlan> GetPlanAsync() =>
        await Client.CustomObjects.GetClusterCustomObjectAsync<MigPlan>(MigInferApi.Group, MigInferApi.Version, MigPlan.Plural, MigPlan.DefaultName).Within();

    public async Task<IList<V1Pod>> PodsAsync() => (await Client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: WellKnown.ManagedSelector).Within()).Items;

    public async Task<V1ConfigMap?> MigConfigAsync()
    {
        var maps = await Client.CoreV1.ListNamespacedConfigMapAsync("gpu-operator").Within();
        return maps.Items.FirstOrDefault(m => m.Metadata.Name == "miginfer-mig-parted-config");
    }

    /// <summary>Waits until the service is Ready and every node runs its MIG configuration.</summary>
    public Task ReadyAsync(string name, TimeSpan? limit = null) =>
        Timeouts.Eventually(async () => (await GetServiceAsync(name))?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true, $"{name} Ready", limit);

    public async ValueTask DisposeAsync()
    {
        foreach (var running in _operators)
        {
            await running.DisposeAsync();
        }

        await Mig.DisposeAsync();
        await Kubelet.DisposeAsync();
        await Slices.DisposeAsync();
        Client.Dispose();
        await Server.DisposeAsync();
        Assert.Empty(Log?.Errors ?? []);
    }
}
