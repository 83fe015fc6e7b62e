namespace MigInfer.Planning.Capacity;

/// <summary>
/// What a roofline estimate needs of a model: work and bytes per sample, weight bytes, and the
/// precision it runs at (fp16, bf16 and tf32 use tensor-core peaks, fp32 the plain FP32 peak).
/// </summary>
public sealed record ModelCost(double GflopsPerSample, double WeightMiB, double ActivationMiBPerSample, string Precision = "fp16");
