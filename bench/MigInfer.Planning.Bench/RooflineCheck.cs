using System.Globalization;
using MigInfer.Planning.Capacity;
using MigInfer.Planning.Catalog;

namespace MigInfer.Planning.Bench;

/// <summary>
/// The roofline estimate against measurements taken on a GPU by bench/gpu/measure_profiles.py:
/// for every model, slice and batch measured, the estimate and its ratio to the measured time.
/// Confined SM counts stand for the H100 profiles with that many SMs (<see cref="GpuMeasurements.H100ProfileBySms"/>); other SM counts are left out.
/// </summary>
internal static class RooflineCheck
{
    /// <summary>The measured models' costs in fp16, as the examples give them (examples/services); 32-bit runs move twice the bytes.</summary>
    private static readonly Dictionary<string, ModelCost> Costs = new()
    {
        ["resnet50"] = new(8.2, 49, 12),
        ["mobilenet_v2"] = new(0.6, 7, 8),
        ["bert_base_s128"] = new(22, 210, 20),
        ["bert_large_s128"] = new(78, 680, 60),
    };

    public static int Run(string path)
    {
        var measured = GpuMeasurements.Read(path);

        if (measured.Points.FirstOrDefault(p => !Costs.ContainsKey(p.Model)) is { } unknown)
        {
            Console.Error.WriteLine($"{path}: row model={unknown.Model}: this check knows the models {string.Join(", ", Costs.Keys)}");
            return 2;
        }

        var h100 = GpuCatalog.Default.Products.Single(p => p.Name == "H100-80GB");
        var bytes = measured.Precision is "fp16" or "bf16" ? 1 : 2;
        Console.WriteLine($"## Roofline estimate vs CUDA-graph replay on {measured.Gpu} (PyTorch {measured.Torch}, {measured.Precision})");
        Console.WriteLine();
        Console.WriteLine("| model | profile (SMs) | batch | measured ms | estimate ms | estimate / measured |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        var ratios = new Dictionary<string, List<double>>();
        foreach (var (model, sms, batch, ms) in measured.Points)
        {
            if (!GpuMeasurements.H100ProfileBySms.TryGetValue(sms, out var profile))
            {
                continue;
            }

            var fp16 = Costs[model];
            var cost = fp16 with { WeightMiB = fp16.WeightMiB * bytes, ActivationMiBPerSample = fp16.ActivationMiBPerSample * bytes, Precision = measured.Precision };
            var estimate = RooflineEstimator.Estimate(h100, cost, batch).Milliseconds(profile, batch)!.Value;
            var ratio = estimate / ms;
            (ratios.TryGetValue(model, out var list) ? list : ratios[model] = []).Add(ratio);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {model} | {profile} ({sms}) | {batch} | {ms:0.00} | {estimate:0.00} | {ratio:0.00} |"));
        }

        Console.WriteLine();
        Console.WriteLine("| model | points | median estimate / measured | lowest | highest |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (model, list) in ratios)
        {
            list.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {model} | {list.Count} | {list[list.Count / 2]:0.00} | {list[0]:0.00} | {list[^1]:0.00} |"));
        }

        return 0;
    }
}
