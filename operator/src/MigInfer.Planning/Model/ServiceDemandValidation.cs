namespace MigInfer.Planning.Model;

/// <summary>
/// The checks a service must pass before planning. Each failure names the service and the spec field
/// (the InferenceService's path) and the value, so hosts can show it as-is.
/// </summary>
public static class ServiceDemandValidation
{
    public static void Validate(ServiceDemand s)
    {
        Require(s, s.SloMs > 0, "spec.slo.latencyMs", s.SloMs, "must be positive");
        Require(s, s.RequestsPerSecond >= 0 && double.IsFinite(s.RequestsPerSecond), "spec.traffic.requestsPerSecond", s.RequestsPerSecond, "must be zero or positive");
        Require(s, s.MaxBatchSize >= 1, "spec.model.maxBatchSize", s.MaxBatchSize, "must be at least 1");
        Require(s, s.MemoryMiB >= 0, "spec.model.memoryMiB", s.MemoryMiB, "must not be negative");
        Require(s, s.MinSlices >= 0, "spec.placement.minSlices", s.MinSlices, "must not be negative");
        Require(s, !s.Sizes.IsEmpty, "spec.traffic.batchSizes", "[]", "must list at least one request size");
        foreach (var size in s.Sizes)
        {
            Require(s, size.Size >= 1, "spec.traffic.batchSizes[].size", size.Size, "must be at least 1");
            Require(s, size.Size <= s.MaxBatchSize, "spec.traffic.batchSizes[].size", size.Size, $"is above spec.model.maxBatchSize {s.MaxBatchSize}");
            Require(s, size.Weight >= 0 && double.IsFinite(size.Weight), "spec.traffic.batchSizes[].weight", size.Weight, "must be zero or positive");
        }

        Require(s, Math.Abs(s.Sizes.Sum(c => c.Weight) - 1) < 1e-6, "spec.traffic.batchSizes", "weights", "must be normalised to sum to 1");
        Require(s, !s.Latencies.IsEmpty, "spec.profile", "(none)", "has no latency table; give spec.profile.latencies or spec.profile.estimate");
        foreach (var table in s.Latencies)
        {
            foreach (var point in table.Points)
            {
                Require(s, point.Batch >= 1, "spec.profile.latencies[].batch", point.Batch, $"on {point.Profile} must be at least 1");
                Require(s, point.Milliseconds > 0 && double.IsFinite(point.Milliseconds), "spec.profile.latencies[].ms", point.Milliseconds, $"on {point.Profile} batch {point.Batch} must be positive");
            }
        }
    }

    private static void Require(ServiceDemand s, bool ok, string field, object value, string rule)
    {
        if (!ok)
        {
            throw new PlanningInputException($"InferenceService {s.Name}: {field} = {value} {rule}");
        }
    }
}
