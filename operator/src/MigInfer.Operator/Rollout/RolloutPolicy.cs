namespace MigInfer.Operator.Rollout;

/// <summary>The MigPlan's rollout budget and timings.</summary>
internal sealed record RolloutPolicy(int MaxGpusInFlight, TimeSpan Timeout, TimeSpan RetryBackoff);
