using MigInfer.Planning.Capacity;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Model;

namespace MigInfer.Planning.Tests;

public sealed class RooflineEstimatorTests
{
    private static readonly GpuProduct H100 = GpuCatalog.Default.Resolve("NVIDIA-H100-80GB-HBM3");

    /// <summary>
    /// Points of bench/gpu/results/h100-80gb-hbm3-2026-11-23.jsonl (CUDA-graph replay, fp16, kernels
    /// confined to the profile's SM count): the estimate must stay within a quarter of each, so a
    /// plan built on it neither misses its SLOs by far nor asks for twice the GPUs.
    /// </summary>
    [Theory]
    [InlineData(8.2, 49, 12, "1g.10gb", 1, 1.37)]
    [InlineData(8.2, 49, 12, "1g.10gb", 64, 20.22)]
    [InlineData(8.2, 49, 12, "4g.40gb", 32, 3.72)]
    [InlineData(8.2, 49, 12, "7g.80gb", 1, 0.92)]
    [InlineData(8.2, 49, 12, "7g.80gb", 64, 4.91)]
    [InlineData(22, 210, 20, "2g.20gb", 16, 8.13)]
    [InlineData(22, 210, 20, "7g.80gb", 32, 5.43)]
    [InlineData(78, 680, 60, "1g.10gb", 16, 41.46)]
    [InlineData(78, 680, 60, "7g.80gb", 1, 2.35)]
    public void Estimate_IsWithinAQuarterOfTheH100Measurements(double gflops, double weightMiB, double activationMiB, string profile, int batch, double measuredMs)
    {
        var table = RooflineEstimator.Estimate(H100, new ModelCost(gflops, weightMiB, activationMiB), maxBatch: 64);

        var ratio = table.Milliseconds(profile, batch)!.Value / measuredMs;

        Assert.InRange(ratio, 0.75, 1.25);
    }

    /// <summary>
    /// Points of the -tf32 and -fp32 files beside it (float32 weights, so twice the bytes): a looser fit
    /// than fp16 (BERT-base in tf32 ran as fast as in fp16 there, so its estimate errs 1.5 to 1.9 times
    /// towards more GPUs and is left out), but the right precision's peak, not the fp16 one.
    /// </summary>
    [Theory]
    [InlineData("tf32", 8.2, 98, 24, "1g.10gb", 1, 1.68)]
    [InlineData("tf32", 8.2, 98, 24, "1g.10gb", 64, 37.07)]
    [InlineData("tf32", 8.2, 98, 24, "7g.80gb", 64, 9.21)]
    [InlineData("fp32", 8.2, 98, 24, "1g.10gb", 64, 134.43)]
    [InlineData("fp32", 8.2, 98, 24, "7g.80gb", 1, 2.88)]
    [InlineData("fp32", 22, 420, 40, "2g.20gb", 16, 40.02)]
    [InlineData("fp32", 22, 420, 40, "7g.80gb", 32, 20.69)]
    public void Float32Estimate_IsWithinAHalfOfTheH100Measurements(string precision, double gflops, double weightMiB, double activationMiB, string profile, int batch, double measuredMs)
    {
        var table = RooflineEstimator.Estimate(H100, new ModelCost(gflops, weightMiB, activationMiB, precision), maxBatch: 64);

        var ratio = table.Milliseconds(profile, batch)!.Value / measuredMs;

        Assert.InRange(ratio, 0.6, 1.6);
    }

    [Fact]
    public void Estimate_IsLabelledAndCoversEveryPlannableProfileAtPowersOfTwo()
    {
        var table = RooflineEstimator.Estimate(H100, new ModelCost(8.2, 49, 12), maxBatch: 32);

        Assert.Equal(ProfileSource.Estimated, table.Source);
        Assert.Equal(H100.PlannableProfiles.Select(p => p.Name).Order(StringComparer.Ordinal), table.Profiles);
        Assert.All(table.Profiles, p => Assert.Equal([1, 2, 4, 8, 16, 32], table.Points.Where(x => x.Profile == p).Select(x => x.Batch)));
    }
}
