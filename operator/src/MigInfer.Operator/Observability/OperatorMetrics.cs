using Prometheus;

namespace MigInfer.Operator.Observability;

/// <summary>The operator's Prometheus series (prefix <c>miginfer_operator_</c>), in one registry per operator instance.</summary>
internal sealed class OperatorMetrics
{
    public OperatorMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Metrics.WithCustomRegistry(registry);
        Reconciles = factory.CreateCounter("miginfer_operator_reconciles_total", "Reconcile passes by kind and result (done, requeue, error).", "kind", "result");
        ReconcileErrors = factory.CreateCounter("miginfer_operator_reconcile_errors_total", "Reconcile passes that failed, by kind.", "kind");
        ReconcileDuration = factory.CreateHistogram("miginfer_operator_reconcile_duration_seconds", "Time per reconcile pass, by kind.", new HistogramConfiguration
        {
            LabelNames = ["kind"],
            Buckets = Histogram.ExponentialBuckets(0.001, 2, 16),
        });
        QueueDepth = factory.CreateGauge("miginfer_operator_queue_depth", "Keys waiting in the work queue, by kind.", "kind");
        WatchRestarts = factory.CreateCounter("miginfer_operator_watch_restarts_total", "Watches restarted, by kind and cause (closed, gone, error).", "kind", "cause");
        PlanSolveSeconds = factory.CreateGauge("miginfer_operator_plan_solve_seconds", "Solve time of the current plan.");
        PlanGap = factory.CreateGauge("miginfer_operator_plan_gap", "Relative optimality gap of the current plan.");
        Plans = factory.CreateCounter("miginfer_operator_plans_total", "Plans computed.");
        GpusUsed = factory.CreateGauge("miginfer_operator_gpus_used", "GPUs the current plan uses.");
        GpusTotal = factory.CreateGauge("miginfer_operator_gpus_total", "GPUs on participating nodes.");
        SlicesPerProfile = factory.CreateGauge("miginfer_operator_slices", "Planned slices with a service, by MIG profile.", "profile");
        RolloutGpus = factory.CreateGauge("miginfer_operator_rollout_gpus", "GPUs by rollout state (pending, applying, failed).", "state");
        IsLeader = factory.CreateGauge("miginfer_operator_leader", "1 while this replica holds the Lease.");
    }

    public CollectorRegistry Registry { get; }

    public Counter Reconciles { get; }

    public Counter ReconcileErrors { get; }

    public Histogram ReconcileDuration { get; }

    public Gauge QueueDepth { get; }

    public Counter WatchRestarts { get; }

    public Gauge PlanSolveSeconds { get; }

    public Gauge PlanGap { get; }

    public Counter Plans { get; }

    public Gauge GpusUsed { get; }

    public Gauge GpusTotal { get; }

    public Gauge SlicesPerProfile { get; }

    public Gauge RolloutGpus { get; }

    public Gauge IsLeader { get; }
}
