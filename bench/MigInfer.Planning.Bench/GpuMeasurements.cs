using System.Text.Json;

namespace MigInfer.Planning.Bench;

/// <summary>One CUDA-graph timing from bench/gpu/measure_profiles.py: the median of its repeats.</summary>
internal sealed record GpuMeasurement(string Model, int Sms, int Batch, double MedianMs);

/// <summary>
/// A file written by bench/gpu/measure_profiles.py on an H100: a header line, then a line per
/// model, batch, mode and SM count. Only CUDA-graph timings are kept (eager runs time the Python
/// launcher, not the GPU), and a run that failed (an "error" line) is skipped.
/// </summary>
internal sealed record GpuMeasurements(string Gpu, string Torch, string Precision, IReadOnlyList<GpuMeasurement> Points)
{
    /// <summary>
    /// The H100 profile whose compute a run confined to this many SMs stands for: 16 SMs for 1g, 32 for
    /// 2g, 64 for 4g and the whole GPU's 132 for 7g. The confinement leaves a small slice the whole
    /// GPU's memory bandwidth and L2, so measured small slices are, if anything, faster than the real profile.
    /// </summary>
    public static IReadOnlyDictionary<int, string> H100ProfileBySms { get; } = new Dictionary<int, string>
    {
        [16] = "1g.10gb",
        [32] = "2g.20gb",
        [64] = "4g.40gb",
        [132] = "7g.80gb",
    };

    /// <summary>Reads <paramref name="path"/>; a file from another GPU or with an unknown SM count is an <see cref="InvalidDataException"/> naming it.</summary>
    public static GpuMeasurements Read(string path)
    {
        var rows = File.ReadLines(path).Select((line, i) => Parse(path, i + 1, line)).ToList();
        var header = rows[0];
        var gpu = header.GetProperty("gpu").GetString()!;
        if (!gpu.Contains("H100", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: measured on {gpu}, but only the H100's SM counts per profile are known");
        }

        var points = new List<GpuMeasurement>();
        foreach (var row in rows.Skip(1).Where(r => r.TryGetProperty("ms", out _) && r.GetProperty("mode").GetString() == "graph"))
        {
            var point = new GpuMeasurement(
                row.GetProperty("model").GetString()!,
                row.GetProperty("sms").GetInt32(),
                row.GetProperty("batch").GetInt32(),
                row.GetProperty("ms")[0].GetDouble());
            if (!H100ProfileBySms.ContainsKey(point.Sms))
            {
                throw new InvalidDataException($"{path}: row model={point.Model}, batch={point.Batch} ran on {point.Sms} SMs; known SM counts are {string.Join(", ", H100ProfileBySms.Keys)}");
            }

            points.Add(point);
        }

        // Files written before the script took --precision are fp16.
        var precision = header.TryGetProperty("precision", out var p) ? p.GetString()! : "fp16";
        return new GpuMeasurements(gpu, header.GetProperty("torch").GetString()!, precision, points);
    }

    private static JsonElement Parse(string path, int line, string text)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}, line {line}: not a JSON object ({e.Message})", e);
        }
    }
}
