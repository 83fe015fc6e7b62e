using MigInfer.Planning.Model;

namespace MigInfer.Planning.Bench;

/// <summary>
/// Services whose latency tables are H100 measurements (<see cref="GpuMeasurements"/>): the models
/// of the file in turn, each with its measured batches up to the largest, on the profiles whose SM
/// counts were measured and 3g.40gb between its neighbours (<see cref="GpuMeasurements.H100LatencyPoints"/>).
/// SLOs are MLPerf Inference's server-scenario latency constraints (mlcommons/inference, mlperf.conf):
/// ResNet-50 15 ms, BERT 130 ms (also for BERT-base), every other model 10 ms, times <paramref name="sloScale"/>
/// (1 in the published tables; the SLO sweep tightens them). Nothing is random but the request sizes of the
/// Mixed mix and the rates.
/// </summary>
internal sealed class MeasuredWorkload(GpuMeasurements measurements, double sloScale = 1) : Workload("NVIDIA-H100-80GB-HBM3")
{
    private static readonly Dictionary<string, double> MlPerfServerSloMs = new()
    {
        ["resnet50"] = 15,
        ["bert_base_s128"] = 130,
        ["bert_large_s128"] = 130,
    };

    private const double DefaultSloMs = 10;

    /// <summary>Device memory per model: well under the smallest H100 slice's 9.75 GiB, so memory never decides.</summary>
    private const int MemoryMiB = 2048;

    private readonly string[] _models = [.. measurements.Points.Select(p => p.Model).Distinct()];

    public override string Description => $"latencies measured on {measurements.Gpu} ({measurements.Precision}, CUDA graphs, SMs confined by green contexts), MLPerf server SLOs{(sloScale == 1 ? "" : $" × {sloScale:0.##}")}";

    protected override ServiceDemand Service(int index, Random random, Func<int, SizeClass[]> sizes)
    {
        var model = _models[index % _models.Length];
        var maxBatch = measurements.Points.Where(p => p.Model == model).Max(p => p.Batch);
        var classes = sizes(maxBatch);
        return new ServiceDemand
        {
            Name = $"bench/{model.Replace('_', '-')}-{index:D3}",
            SloMs = MlPerfServerSloMs.GetValueOrDefault(model, DefaultSloMs) * sloScale,
            RequestsPerSecond = 1,
            Sizes = [.. classes],
            Latencies = [new LatencyTable(Product, [.. measurements.H100LatencyPoints(model)])],
            MaxBatchSize = maxBatch,
            MemoryMiB = MemoryMiB,
        };
    }
}
