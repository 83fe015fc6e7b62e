namespace MigInfer.InferenceServer.Model;

/// <summary>One batch-size bucket of the slice's observed latency profile.</summary>
/// <param name="Batch">The bucket's largest batch size (buckets are 1, 2, 4, 8, …; bucket 2^k holds batches (2^(k-1), 2^k]).</param>
/// <param name="Ms">The latency model's current corrected prediction at <paramref name="Batch"/>, in milliseconds, rounded to 0.01.</param>
/// <param name="Samples">Executions measured in the bucket since the server started.</param>
/// <param name="ErrorPct">Mean absolute relative prediction error over the bucket's recent executions, in percent, rounded to 0.1.</param>
internal sealed record ObservedLatency(int Batch, double Ms, long Samples, double ErrorPct);
