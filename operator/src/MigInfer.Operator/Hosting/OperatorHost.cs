using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;
using MigInfer.Operator.Controllers;
using MigInfer.Operator.Kube;
using MigInfer.Operator.Observability;
using MigInfer.Operator.Planning;
using MigInfer.Operator.Probing;
using MigInfer.Operator.Reconcilers;
using MigInfer.Operator.Resources;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Planners;

namespace MigInfer.Operator.Hosting;

/// <summary>
/// One operator replica: informers on every replica (a standby has warm caches), and, on the replica that
/// holds the Lease, the MigPlan and InferenceService controllers. Losing the Lease stops the controllers;
/// their queues stay and are filled again in full when leadership returns.
/// </summary>
internal sealed class OperatorHost : IDisposable
{
    private readonly IKubernetes _client;
    private readonly OperatorOptions _options;
    private readonly OperatorMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly KindController _plans;
    private readonly KindController _services;
    private readonly HttpClient _http;
    private readonly SliceProber _prober;
    private volatile bool _leading;

    /// <summary>Wires one replica; <paramref name="sliceAddress"/> is where a slice pod answers <c>GET /v2/slice</c> (<see cref="SliceProber.DefaultAddress"/> unless a test says otherwise).</summary>
    public OperatorHost(IKubernetes client, OperatorOptions options, InformerOptions informers, OperatorMetrics metrics, TimeProvider time, ILoggerFactory logs, Func<V1Pod, Uri>? sliceAddress = null)
    {
        _client = client;
        _options = options;
        _metrics = metrics;
        _logger = logs.CreateLogger("MigInfer.Operator.Host");
        _time = time;
        Cluster = new ClusterState(new KubeApis(client, WellKnown.ManagedSelector), informers with { ResyncPeriod = options.ResyncPeriod }, metrics, time, logs);
        var catalog = GpuCatalog.Default;
        var backoff = new Backoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromMinutes(2));
        var planQueue = new WorkQueue(backoff, time);
        var serviceQueue = new WorkQueue(backoff, time);
        var events = new EventRecorder(client, "miginfer-operator", time);
        var migConfig = new MigConfigMap(client);
        var planLogger = logs.CreateLogger("MigInfer.Operator.MigPlan");
        var rollout = new RolloutApplier(Cluster, migConfig, options, time, planLogger);
        var planReconciler = new MigPlanReconciler(Cluster, migConfig, rollout, events, new CpSatPlanner(catalog), catalog, metrics, time, planLogger, options.ProfileRefRecheck, Publish);
        var serviceReconciler = new InferenceServiceReconciler(Cluster, catalog, options, time, logs.CreateLogger("MigInfer.Operator.InferenceService"), RequestPlan);
        _plans = new KindController(planReconciler, planQueue, 1, metrics, planLogger);
        _services = new KindController(serviceReconciler, serviceQueue, options.Workers, metrics, logs.CreateLogger("MigInfer.Operator.InferenceService"));
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = options.SliceProbeTimeout, PooledConnectionIdleTimeout = options.SliceProbeInterval * 2 })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _prober = new SliceProber(Cluster, events, _http, new SliceProbeOptions(options.SliceProbeInterval, options.SliceProbeTimeout, options.SliceProbeConcurrency),
            sliceAddress ?? SliceProber.DefaultAddress, time, logs.CreateLogger("MigInfer.Operator.SliceProber"), _services.Queue.Add);
        Wire();
    }

    public ClusterState Cluster { get; }

    /// <summary>Ready once every informer has listed its kind.</summary>
    public bool Ready => Cluster.Synced.IsCompletedSuccessfully;

    public bool Leading => _leading;

    public async Task RunAsync(CancellationToken cancel)
    {
        var informers = Cluster.RunAsync(cancel);
        await Cluster.Synced.WaitAsync(cancel);
        var leading = _options.LeaderElection ? LeadAsync(cancel) : RunControllersAsync(cancel);
        await Task.WhenAll(informers, leading);
    }

    public void Dispose()
    {
        _prober.Dispose();
        _http.Dispose();
        _plans.Queue.Dispose();
        _services.Queue.Dispose();
    }

    private async Task LeadAsync(CancellationToken cancel)
    {
        var lease = new LeaseLock(_client, _options.LeaseNamespace, _options.LeaseName, _options.Identity);
        var config = new LeaderElectionConfig(lease)
        {
            LeaseDuration = _options.LeaseDuration,
            RenewDeadline = _options.RenewDeadline,
            RetryPeriod = _options.RetryPeriod,
        };
        while (!cancel.IsCancellationRequested)
        {
            using var elector = new LeaderElector(config);
            using var term = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            Task running = Task.CompletedTask;
            var led = false;
            elector.OnStartedLeading += () =>
            {
                led = true;
                running = RunControllersAsync(term.Token);
            };
            elector.OnStoppedLeading += term.Cancel;
            try
            {
                await elector.RunUntilLeadershipLostAsync(cancel);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
            }

            await term.CancelAsync();
            await running;
            if (led && cancel.IsCancellationRequested)
            {
                await ReleaseAsync(lease);
            }
        }
    }

    /// <summary>On a graceful stop, after the controllers have stopped: a successor need not wait out the Lease.</summary>
    private async Task ReleaseAsync(LeaseLock lease)
    {
        using var limit = new CancellationTokenSource(_options.RenewDeadline);
        try
        {
            var released = await LeaseRelease.ReleaseAsync(lease, _time, limit.Token);
            _logger.Leadership(released ? "given up" : "already lost", _options.Identity);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            _logger.LeaseNotReleased(_options.Identity, e.Message);
        }
    }

    private async Task RunControllersAsync(CancellationToken term)
    {
        _leading = true;
        _metrics.IsLeader.Set(1);
        _logger.Leadership("acquired", _options.Identity);
        try
        {
            _plans.Queue.Add(MigPlan.DefaultName);
            WakeServices();
            await Task.WhenAll(_plans.RunAsync(term), _services.RunAsync(term), _prober.RunAsync(term));
        }
        finally
        {
            Cluster.Plan = PlanSnapshot.Empty;
            _leading = false;
            _metrics.IsLeader.Set(0);
            _logger.Leadership("released", _options.Identity);
        }
    }

    /// <summary>Which changes wake which controller: the plan is debounced; a service's own objects wake it at once.</summary>
    private void Wire()
    {
        Cluster.InferenceServices.OnChange((old, now) =>
        {
            var service = now ?? old!;
            _services.Queue.Add(ObjectCache<InferenceService>.KeyOf(service));
            if (old is null || now is null || old.Metadata.Generation != now.Metadata.Generation || (old.Metadata.DeletionTimestamp is null) != (now.Metadata.DeletionTimestamp is null))
            {
                RequestPlan();
            }
        });
        Cluster.Nodes.OnChange((_, _) => RequestPlan());
        Cluster.MigPlans.OnChange((old, now) =>
        {
            _plans.Queue.Add(now?.Metadata.Name ?? MigPlan.DefaultName);
            if (now is null || old?.Metadata.Generation != now.Metadata.Generation)
            {
                // Nothing plans without a MigPlan: services that wait for a plan, a deleting one above all
                // (its finalizer waits for the plan to drop it), decide again; and a new spec may turn their
                // disruption budgets on or off.
                WakeServices();
            }
        });
        Cluster.Pods.OnChange((old, now) =>
        {
            var pod = now ?? old!;
            if (pod.Metadata.Label(WellKnown.ServiceLabel) is { } service)
            {
                _services.Queue.Add(ObjectCache<InferenceService>.KeyOf(pod.Metadata.NamespaceProperty, service));
            }

            _prober.Wake();
            RequestPlan();
        });
        Cluster.Services.OnChange((old, now) => WakeOwner(now ?? old!));
        Cluster.DisruptionBudgets.OnChange((old, now) => WakeOwner(now ?? old!));
    }

    /// <summary>A Service or PodDisruptionBudget of an InferenceService changed: the service checks it is as it should be.</summary>
    private void WakeOwner(IKubernetesObject<V1ObjectMeta> owned)
    {
        if (owned.Metadata.Label(WellKnown.ServiceLabel) is { } service)
        {
            _services.Queue.Add(ObjectCache<InferenceService>.KeyOf(owned.Metadata.NamespaceProperty, service));
        }
    }

    private void RequestPlan() =>
        _plans.Queue.AddAfter(MigPlan.DefaultName, PlanningPolicies.Debounce(Cluster.MigPlans.Cache.Get(MigPlan.DefaultName)?.Spec));

    private void Publish(PlanSnapshot snapshot)
    {
        if (snapshot.SameAs(Cluster.Plan))
        {
            return;
        }

        Cluster.Plan = snapshot;
        WakeServices();
    }

    private void WakeServices()
    {
        foreach (var service in Cluster.InferenceServices.Cache.List())
        {
            _services.Queue.Add(ObjectCache<InferenceService>.KeyOf(service));
        }
    }
}
