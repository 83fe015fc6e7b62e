using System.Globalization;
using MigInfer.InferenceServer.Configuration;
using MigInfer.InferenceServer.Execution;
using MigInfer.InferenceServer.Model;
using Prometheus;

namespace MigInfer.InferenceServer.Observability;

/// <summary>
/// The server's Prometheus series: Triton's names (labels <c>model</c>, <c>version</c>) so existing
/// dashboards work, and histograms labelled with the slice profile (<c>GPU_I_PROFILE</c>, joining
/// DCGM's MIG series) and the execution provider.
/// </summary>
internal sealed class InferenceMetrics : ISchedulerObserver
{
    private static readonly string[] TritonLabels = ["model", "version"];
    private static readonly string[] SliceLabels = ["model", "version", "GPU_I_PROFILE", "execution_provider"];
    private static readonly string[] RoutingLabels = ["model", "version", "GPU_I_PROFILE", "decision"];
    private static readonly string[] ProfileLabels = ["model", "version", "GPU_I_PROFILE"];
    private static readonly string[] ObservedLabels = ["model", "version", "GPU_I_PROFILE", "batch"];
    private static readonly string[] SloLabels = ["model", "version", "GPU_I_PROFILE", "outcome"];

    private readonly Counter.Child _success;
    private readonly Counter.Child _failure;
    private readonly Counter.Child _inferences;
    private readonly Counter.Child _executions;
    private readonly Counter.Child _requestMicros;
    private readonly Counter.Child _queueMicros;
    private readonly Counter.Child _computeMicros;
    private readonly Histogram.Child _requestSeconds;
    private readonly Histogram.Child _queueSeconds;
    private readonly Histogram.Child _batchSize;
    private readonly Counter.Child _routedLocal;
    private readonly Counter.Child _routedForwarded;
    private readonly Counter.Child _routedShed;
    private readonly Counter.Child _shed;
    private readonly Counter.Child[] _sloOutcomes;
    private readonly Gauge.Child _peersAlive;

    /// <summary>False while the server warms up: its own requests are not the service's traffic.</summary>
    private volatile bool _counting;

    public InferenceMetrics(CollectorRegistry registry, ServerOptions options, string executionProvider, int maxBatchSize, Func<int> pendingRequests, Func<IReadOnlyList<ObservedLatency>> observedProfile)
    {
        // No exemplars: prometheus-net would attach the request's trace to Triton's counters, which lack the _total
        // suffix and so are "unknown" in OpenMetrics, where exemplars are not allowed; Prometheus, which asks for
        // OpenMetrics first, then refuses the whole scrape ("metric name ... does not support exemplars").
        var factory = Metrics.WithCustomRegistry(registry);
        factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        var (model, version, sliceProfile) = (options.ModelName, options.ModelVersion, options.SliceProfile);
        string[] triton = [model, version];
        string[] slice = [model, version, sliceProfile, executionProvider];
        Counter.Child TritonCounter(string name, string help) => factory.CreateCounter(name, help, TritonLabels).WithLabels(triton);

        _success = TritonCounter("nv_inference_request_success", "Number of successful inference requests, all batch sizes");
        _failure = TritonCounter("nv_inference_request_failure", "Number of failed inference requests, all batch sizes");
        _inferences = TritonCounter("nv_inference_count", "Number of inferences performed (batch elements)");
        _executions = TritonCounter("nv_inference_exec_count", "Number of model executions performed");
        _requestMicros = TritonCounter("nv_inference_request_duration_us", "Cumulative inference request duration in microseconds");
        _queueMicros = TritonCounter("nv_inference_queue_duration_us", "Cumulative inference queuing duration in microseconds");
        _computeMicros = TritonCounter("nv_inference_compute_infer_duration_us", "Cumulative compute inference duration in microseconds");
        var pending = factory.CreateGauge("nv_inference_pending_request_count", "Instantaneous number of pending requests awaiting execution", TritonLabels).WithLabels(triton);
        registry.AddBeforeCollectCallback(() => pending.Set(pendingRequests()));

        var latencyBuckets = Histogram.ExponentialBuckets(0.0005, 2, 16);
        _requestSeconds = factory.CreateHistogram("miginfer_request_duration_seconds", "Latency of client requests from arrival at the slice the client called to the answer; a forwarded request is timed there, not again where it ran", new HistogramConfiguration { LabelNames = SliceLabels, Buckets = latencyBuckets }).WithLabels(slice);
        _queueSeconds = factory.CreateHistogram("miginfer_queue_duration_seconds", "Time a request waited before its batch executed", new HistogramConfiguration { LabelNames = SliceLabels, Buckets = latencyBuckets }).WithLabels(slice);
        _batchSize = factory.CreateHistogram("miginfer_batch_size", "Batch elements per model execution", new HistogramConfiguration { LabelNames = SliceLabels, Buckets = Histogram.PowersOfTenDividedBuckets(0, 3, 10).Where(b => b <= Math.Max(1, maxBatchSize)).ToArray() }).WithLabels(slice);
        factory.CreateGauge("miginfer_execution_provider_info", "1 for the execution provider serving the model", SliceLabels).WithLabels(slice).Set(1);

        string[] profile = [model, version, sliceProfile];
        var decisions = factory.CreateCounter("miginfer_routing_decisions_total", "Router decisions for requests that arrived from clients: local, forwarded (to a peer slice) or shed", RoutingLabels);
        _routedLocal = decisions.WithLabels([.. profile, "local"]);
        _routedForwarded = decisions.WithLabels([.. profile, "forwarded"]);
        _routedShed = decisions.WithLabels([.. profile, "shed"]);
        _shed = factory.CreateCounter("miginfer_requests_shed_total", "Requests rejected with RESOURCE_EXHAUSTED because no slice could finish them within the shed limit", ProfileLabels).WithLabels(profile);
        var outcomes = factory.CreateCounter("miginfer_slo_requests_total", "Client requests this slice accepted, by outcome against their deadline: met (answered by it), late (answered after it or DEADLINE_EXCEEDED), shed (RESOURCE_EXHAUSTED) or failed (any other error)", SloLabels);
        _sloOutcomes = Enum.GetValues<SloOutcome>().Select(o => outcomes.WithLabels([.. profile, o.ToString().ToLowerInvariant()])).ToArray();
        factory.CreateGauge("miginfer_slo_objective_ratio", "Share of client requests the service is to answer within its latency objective (spec.slo.percentile / 100)", ProfileLabels).WithLabels(profile).Set(options.SloPercentile / 100);
        if (options.Slo is { } slo)
        {
            factory.CreateGauge("miginfer_slo_latency_seconds", "The latency objective client requests are held to (--slo-ms)", ProfileLabels).WithLabels(profile).Set(slo.TotalSeconds);
        }

        _peersAlive = factory.CreateGauge("miginfer_peers_alive", "Peer slices the router can send requests to: reported within the liveness window, ready and connected", ProfileLabels).WithLabels(profile);

        // The latency model's corrected prediction per measured batch bucket: the profile the operator
        // reads from GET /v2/slice, as a series to chart against the planned one.
        var observed = factory.CreateGauge("miginfer_observed_latency_seconds", "Execution latency this slice measured, per batch-size bucket (the latency model's corrected prediction at the bucket's largest batch)", ObservedLabels);
        registry.AddBeforeCollectCallback(() =>
        {
            foreach (var point in observedProfile())
            {
                observed.WithLabels([.. profile, point.Batch.ToString(CultureInfo.InvariantCulture)]).Set(point.Ms / 1000);
            }
        });
    }

    /// <summary>Counts every request from now on; until then (the server's warm-up) nothing is counted.</summary>
    public void StartCounting() => _counting = true;

    /// <summary>Counts one routing decision for a client request.</summary>
    public void Routed(RoutingDecisionKind decision)
    {
        if (!_counting)
        {
            return;
        }

        switch (decision)
        {
            case RoutingDecisionKind.Local:
                _routedLocal.Inc();
                break;
            case RoutingDecisionKind.Forwarded:
                _routedForwarded.Inc();
                break;
            default:
                _routedShed.Inc();
                break;
        }
    }

    /// <summary>Counts one request this server shed, a client's or one a peer forwarded here.</summary>
    public void Shed()
    {
        if (_counting)
        {
            _shed.Inc();
        }
    }

    /// <summary>Counts the outcome of one client request this slice accepted (once, at the slice the client sent it to).</summary>
    public void Judged(SloOutcome outcome)
    {
        if (_counting)
        {
            _sloOutcomes[(int)outcome].Inc();
        }
    }

    public void PeersAlive(int count) => _peersAlive.Set(count);

    /// <summary>
    /// Counts a request this slice answered: Triton's counters count it at every slice it passed (the one the client
    /// called and, when forwarded, the one that ran it); the latency histogram only where the client called.
    /// </summary>
    public void Succeeded(TimeSpan duration, bool forwarded) => Answered(_success, duration, forwarded);

    /// <inheritdoc cref="Succeeded"/>
    public void Failed(TimeSpan duration, bool forwarded) => Answered(_failure, duration, forwarded);

    private void Answered(Counter.Child outcome, TimeSpan duration, bool forwarded)
    {
        if (!_counting)
        {
            return;
        }

        outcome.Inc();
        _requestMicros.Inc(duration.TotalMicroseconds);
        if (!forwarded)
        {
            _requestSeconds.Observe(duration.TotalSeconds);
        }
    }

    public void Dequeued(TimeSpan queueTime)
    {
        if (!_counting)
        {
            return;
        }

        _queueMicros.Inc(queueTime.TotalMicroseconds);
        _queueSeconds.Observe(queueTime.TotalSeconds);
    }

    public void Executed(int requests, int batchElements, TimeSpan computeTime)
    {
        if (!_counting)
        {
            return;
        }

        _executions.Inc();
        _inferences.Inc(batchElements);
        _computeMicros.Inc(computeTime.TotalMicroseconds);
        _batchSize.Observe(batchElements);
    }
}
