using MigInfer.Planning.Catalog;
using MigInfer.Planning.Model;

namespace MigInfer.Planning.Capacity;

/// <summary>
/// Estimates a latency table when none was measured: each batch takes the longer of its compute
/// time and its memory time on the slice's share of the board (compute slices / 7 of the peak,
/// memory slices / 8 of the bandwidth), plus a fixed launch overhead. Achieved compute efficiency
/// grows with the batch and saturates later on larger slices, which is why small requests lose
/// little on small slices. Every table it returns is marked <see cref="ProfileSource.Estimated"/>.
/// The constants were fitted to CUDA-graph timings of ResNet-50 and BERT-base/large on an H100, whole
/// and confined to a 1g, 2g and 4g slice's SMs (docs/benchmarks.md, "Roofline estimate against an
/// H100"): a real kernel mix reaches well under half of the dense tensor-core peak (fp16, bf16, tf32),
/// and a larger share of the plain FP32 peak when float32 runs without tensor cores.
/// </summary>
public static class RooflineEstimator
{
    /// <summary>Fraction of the dense tensor-core peak (fp16, bf16, tf32) a saturated kernel mix reaches.</summary>
    public const double TensorCoreEfficiency = 0.18;

    /// <summary>Fraction of the plain FP32 peak a saturated float32 kernel mix without tensor cores reaches.</summary>
    public const double Fp32Efficiency = 0.39;

    /// <summary>Samples per compute slice at which efficiency reaches half of its saturated value.</summary>
    public const double HalfEfficiencyBatchPerComputeSlice = 0.4;

    /// <summary>Fixed cost of one execution whatever its size: launches, synchronisation, the smallest kernels.</summary>
    public const double LaunchOverheadMs = 0.8;

    public static LatencyTable Estimate(GpuProduct product, ModelCost cost, int maxBatch)
    {
        if (cost.GflopsPerSample <= 0 || cost.WeightMiB < 0 || cost.ActivationMiBPerSample < 0)
        {
            throw new PlanningInputException($"spec.profile.estimate needs gflopsPerSample > 0 and non-negative weightMiB and activationMiBPerSample (got {cost.GflopsPerSample}, {cost.WeightMiB}, {cost.ActivationMiBPerSample})");
        }

        var (peakTflops, saturated) = cost.Precision.ToLowerInvariant() switch
        {
            "fp16" or "bf16" => (product.PeakFp16Tflops, TensorCoreEfficiency),
            "tf32" => (product.PeakTf32Tflops, TensorCoreEfficiency),
            "fp32" => (product.PeakFp32Tflops, Fp32Efficiency),
            _ => throw new PlanningInputException($"spec.profile.estimate.precision = {cost.Precision} must be fp16, bf16, tf32 or fp32"),
        };

        var points = new List<LatencyPoint>();
        foreach (var profile in product.PlannableProfiles)
        {
            for (var batch = 1; batch <= Math.Max(1, maxBatch); batch *= 2)
            {
                points.Add(new LatencyPoint(profile.Name, batch, Math.Round(Milliseconds(product, profile, cost, peakTflops, saturated, batch), 3)));
            }
        }

        return new LatencyTable(product.ProductLabels[0], points, ProfileSource.Estimated);
    }

    private static double Milliseconds(GpuProduct product, MigProfile profile, ModelCost cost, double peakTflops, double saturated, int batch)
    {
        var computeShare = (double)profile.ComputeSlices / product.ComputeSlices;
        var memoryShare = (double)profile.MemorySlices / product.MemorySlices;
        var efficiency = saturated * batch / (batch + (HalfEfficiencyBatchPerComputeSlice * profile.ComputeSlices));
        var computeMs = batch * cost.GflopsPerSample / (peakTflops * computeShare * efficiency);
        var bytesMiB = cost.WeightMiB + (batch * cost.ActivationMiBPerSample);
        var memoryMs = bytesMiB * 1.048576 / (product.MemoryBandwidthGBps * memoryShare);
        return LaunchOverheadMs + Math.Max(computeMs, memoryMs);
    }
}
