using Prometheus;

namespace MigInfer.Operator.Observability;

/// <summary>
/// The operator's Prometheus series, in one registry per operator instance. Names are the ones the chart's
/// dashboard charts: <c>miginfer_operator_*</c> for the controllers, <c>miginfer_plan_*</c> for the current plan,
/// <c>miginfer_rollout_*</c> for its rollout.
/// </summary>
internal sealed class OperatorMetrics
{
    /// <summary>Every value <c>miginfer_rollout_phase</c> can name; the current one is 1, the others 0.</summary>
    public static readonly string[] RolloutPhases = ["Idle", "InProgress", "Blocked"];

    public OperatorMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Metrics.WithCustomRegistry(registry);
        Reconciles = factory.CreateCounter("miginfer_operator_reconcile_total", "Reconcile passes by kind and result (done, requeue, error).", "kind", "result");
        ReconcileErrors = factory.CreateCounter("miginfer_operator_reconcile_errors_total", "Reconcile passes that failed, by kind.", "kind");
        ReconcileDuration = factory.CreateHistogram("miginfer_operator_reconcile_duration_seconds", "Time per reconcile pass, by kind.", new HistogramConfiguration
        {
            LabelNames = ["kind"],
            Buckets = Histogram.ExponentialBuckets(0.001, 2, 16),
        });
        QueueDepth = factory.CreateGauge("miginfer_operator_queue_depth", "Keys waiting in the work queue, by kind.", "kind");
        WatchRestarts = factory.CreateCounter("miginfer_operator_watch_restarts_total", "Watches restarted, by kind and cause (closed, gone, error).", "kind", "cause");
        IsLeader = factory.CreateGauge("miginfer_operator_leader", "1 while this replica holds the Lease.");
        PlanSolveDuration = factory.CreateHistogram("miginfer_plan_solve_duration_seconds", "Wall time of each planner run.", new HistogramConfiguration
        {
            Buckets = Histogram.ExponentialBuckets(0.01, 2, 14),
        });
        PlanGap = factory.CreateGauge("miginfer_plan_gap", "Relative optimality gap of the current plan.");
        Plans = factory.CreateCounter("miginfer_plan_computed_total", "Plans computed.");
        GpusUsed = factory.CreateGauge("miginfer_plan_gpus_used", "GPUs the current plan uses.");
        GpusTotal = factory.CreateGauge("miginfer_plan_gpus_total", "GPUs on participating nodes.");
        SlicesPerProfile = factory.CreateGauge("miginfer_plan_slices", "Planned slices with a service, by MIG profile.", "profile");
        RolloutPhase = factory.CreateGauge("miginfer_rollout_phase", "1 for the rollout's current phase (Idle, InProgress, Blocked), 0 for the others.", "phase");
        RolloutGpusToChange = factory.CreateGauge("miginfer_rollout_gpus_to_change", "GPUs whose layout still differs from the plan.");
        RolloutGpusInFlight = factory.CreateGauge("miginfer_rollout_gpus_in_flight", "GPUs being drained or reconfigured now.");
    }

    public CollectorRegistry Registry { get; }

    public Counter Reconciles { get; }

    public Counter ReconcileErrors { get; }

    public Histogram ReconcileDuration { get; }

    public Gauge QueueDepth { get; }

    public Counter WatchRestarts { get; }

    public Gauge IsLeader { get; }

    public Histogram PlanSolveDuration { get; }

    public Gauge PlanGap { get; }

    public Counter Plans { get; }

    public Gauge GpusUsed { get; }

    public Gauge GpusTotal { get; }

    public Gauge SlicesPerProfile { get; }

    public Gauge RolloutPhase { get; }

    public Gauge RolloutGpusToChange { get; }

    public Gauge RolloutGpusInFlight { get; }
}
