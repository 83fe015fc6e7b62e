using System.Globalization;
using System.Text.Json;
using MigInfer.Planning.Capacity;
using MigInfer.Planning.Catalog;

namespace MigInfer.Planning.Bench;

/// <summary>
/// The roofline estimate against measurements taken on a GPU by bench/gpu/measure_profiles.py:
/// for every model, slice and batch measured, the estimate and its ratio to the measured time.
/// Confined SM counts stand for the H100 profiles with that many SMs (16 for 1g, 32 for 2g, 64 for
/// 4g, 132 for the whole GPU, 7g); the confinement leaves a small slice the whole GPU's memory
/// bandwidth and L2, so measured small slices are, if anything, faster than the real profile.
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

    private static readonly Dictionary<int, string> H100ProfileBySms = new()
    {
        [16] = "1g.10gb",
        [32] = "2g.20gb",
        [64] = "4g.40gb",
        [132] = "7g.80gb",
    };

    public static int Run(string path)
    {
        var rows = File.ReadLines(path).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var header = rows[0];
        if (!header.GetProperty("gpu").GetString()!.Contains("H100", StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"{path}: measured on {header.GetProperty("gpu")}, but this check knows only the H100's SM counts per profile");
            return 2;
        }

        var h100 = GpuCatalog.Default.Products.Single(p => p.Name == "H100-80GB");
        // Files written before the script took --precision are fp16.
        var precision = header.TryGetProperty("precision", out var p) ? p.GetString()! : "fp16";
        var bytes = precision is "fp16" or "bf16" ? 1 : 2;
        Console.WriteLine($"## Roofline estimate vs CUDA-graph replay on {header.GetProperty("gpu")} (PyTorch {header.GetProperty("torch")}, {precision})");
        Console.WriteLine();
        Console.WriteLine("| model | profile (SMs) | batch | measured ms | estimate ms | estimate / measured |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        var ratios = new Dictionary<string, List<double>>();
        foreach (var row in rows.Skip(1).Where(r => r.TryGetProperty("ms", out _) && r.GetProperty("mode").GetString() == "graph"))
        {
            var model = row.GetProperty("model").GetString()!;
            var sms = row.GetProperty("sms").GetInt32();
            var batch = row.GetProperty("batch").GetInt32();
            var measured = row.GetProperty("ms")[0].GetDouble();
            if (!H100ProfileBySms.TryGetValue(sms, out var profile) || !Costs.TryGetValue(model, out var fp16))
            {
                Console.Error.WriteLine($"{path}: row model={model}, sms={sms}: this check knows the models {string.Join(", ", Costs.Keys)} and the SM counts {string.Join(", ", H100ProfileBySms.Keys)}");
                return 2;
            }

            var cost = fp16 with { WeightMiB = fp16.WeightMiB * bytes, ActivationMiBPerSample = fp16.ActivationMiBPerSample * bytes, Precision = precision };
            var estimate = RooflineEstimator.Estimate(h100, cost, batch).Milliseconds(profile, batch)!.Value;
            var ratio = estimate / measured;
            (ratios.TryGetValue(model, out var list) ? list : ratios[model] = []).Add(ratio);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {model} | {profile} ({sms}) | {batch} | {measured:0.00} | {estimate:0.00} | {ratio:0.00} |"));
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
