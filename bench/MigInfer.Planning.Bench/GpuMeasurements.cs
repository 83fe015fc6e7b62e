using System.Text.Json;
using MigInfer.Planning.Model;

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
    /// 3g.40gb (60 SMs) has no row of its own: see <see cref="H100LatencyPoints"/>.
    /// </summary>
    public static IReadOnlyDictionary<int, string> H100ProfileBySms { get; } = new Dictionary<int, string>
    {
        [16] = "1g.10gb",
        [32] = "2g.20gb",
        [64] = "4g.40gb",
        [132] = "7g.80gb",
    };

    /// <summary>
    /// The latency table of <paramref name="model"/> on H100 profiles: every point whose SM count stands for a
    /// profile (<see cref="H100ProfileBySms"/>), and 3g.40gb. Green contexts grant an H100's SMs in groups of 8, so
    /// a 60-SM context gets 64 (measure_profiles.py's 60-SM rows equal its 64-SM rows within 1 %); 3g's time is
    /// therefore interpolated halfway between the 56- and 64-SM runs in throughput (samples per millisecond grow
    /// with the SMs), or, in a file without 56-SM rows, taken from the 64-SM run: an upper bound on 3g's speed.
    /// </summary>
    public IEnumerable<LatencyPoint> H100LatencyPoints(string model)
    {
        var ms = Points.Where(p => p.Model == model).ToDictionary(p => (p.Sms, p.Batch), p => p.MedianMs);
        foreach (var ((sms, batch), time) in ms)
        {
            if (H100ProfileBySms.TryGetValue(sms, out var profile))
            {
                yield return new LatencyPoint(profile, batch, time);
            }
        }

        foreach (var ((_, batch), at64) in ms.Where(e => e.Key.Sms == 64))
        {
            yield return new LatencyPoint("3g.40gb", batch, ms.TryGetValue((56, batch), out var at56) ? 2 / (1 / at56 + 1 / at64) : at64);
        }
    }

    /// <summary>
    /// Reads <paramref name="path"/>; an empty or malformed file, a missing field, a point measured twice or a file from
    /// another GPU is an <see cref="InvalidDataException"/> naming the file and line.
    /// </summary>
    public static GpuMeasurements Read(string path)
    {
        var rows = File.ReadLines(path).Select((text, i) => (Line: i + 1, Row: Parse(path, i + 1, text))).ToList();
        if (rows.Count == 0)
        {
            throw new InvalidDataException($"{path}: empty; the first line must be the header measure_profiles.py writes");
        }

        var (gpu, torch, precision) = Field(path, 1, () =>
        {
            var header = rows[0].Row;
            // Files written before the script took --precision are fp16.
            return (Get(header, "gpu").GetString()!, Get(header, "torch").GetString()!,
                header.TryGetProperty("precision", out var p) ? p.GetString()! : "fp16");
        });
        if (!gpu.Contains("H100", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: measured on {gpu}, but only the H100's SM counts per profile are known");
        }

        var points = new List<GpuMeasurement>();
        foreach (var (line, row) in rows.Skip(1))
        {
            var point = Field(path, line, () => row.TryGetProperty("ms", out var ms) && Get(row, "mode").GetString() == "graph"
                ? new GpuMeasurement(Get(row, "model").GetString()!, Get(row, "sms").GetInt32(), Get(row, "batch").GetInt32(), ms[0].GetDouble())
                : null);
            if (point is null)
            {
                continue;
            }

            if (points.Any(p => (p.Model, p.Sms, p.Batch) == (point.Model, point.Sms, point.Batch)))
            {
                throw new InvalidDataException($"{path}, line {line}: model={point.Model}, sms={point.Sms}, batch={point.Batch} is measured twice in this file");
            }

            points.Add(point);
        }

        return new GpuMeasurements(gpu, torch, precision, points);
    }

    private static JsonElement Get(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) ? value : throw new KeyNotFoundException($"no field \"{name}\"");

    /// <summary>Reads fields of one line; a missing field or one of the wrong type names the line.</summary>
    private static T Field<T>(string path, int line, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"{path}, line {line}: {e.Message}", e);
        }
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
