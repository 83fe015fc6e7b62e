namespace MigInfer.Operator.Probing;

/// <summary>How the leader asks slice servers for their reports (see <see cref="SliceProber"/>).</summary>
internal sealed record SliceProbeOptions(TimeSpan Interval, TimeSpan Timeout, int Concurrency);
