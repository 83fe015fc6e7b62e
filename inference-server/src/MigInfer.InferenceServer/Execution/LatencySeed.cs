using System.Diagnostics;
using System.Globalization;
using YamlDotNet.Serialization;

namespace MigInfer.InferenceServer.Execution;

/// <summary>
/// The starting point of the latency model (milliseconds per batch size on this slice): read from the
/// profile file when one is given, else measured on the warmed-up model at batch 1 and the maximum
/// batch. The scheduler corrects it online from every execution.
/// </summary>
internal static class LatencySeed
{
    /// <summary>
    /// Reads the entry for <paramref name="sliceProfile"/> from a YAML profile file of the form
    /// <c>3g.20gb: {1: 2.1, 8: 5.9}</c> (MIG profile → batch size → milliseconds).
    /// </summary>
    public static IReadOnlyDictionary<int, double> Load(string path, string sliceProfile)
    {
        var profiles = LoadAll(path);
        return profiles.TryGetValue(sliceProfile, out var points)
            ? points
            : throw new InvalidDataException($"profile file '{path}' has no latencies for slice profile '{sliceProfile}' (profiles: {string.Join(", ", profiles.Keys)})");
    }

    /// <summary>Reads every profile of a profile file: the router predicts peers' slices from the same table.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<int, double>> LoadAll(string path)
    {
        Dictionary<string, Dictionary<int, double>>? profiles;
        try
        {
            profiles = new DeserializerBuilder().Build().Deserialize<Dictionary<string, Dictionary<int, double>>>(File.ReadAllText(path));
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new InvalidDataException($"profile file '{path}' is not a map of MIG profile to batch size to milliseconds: {ex.Message}", ex);
        }

        var result = new Dictionary<string, IReadOnlyDictionary<int, double>>(StringComparer.Ordinal);
        foreach (var (profile, points) in profiles ?? [])
        {
            if (points is null || points.Count == 0)
            {
                throw new InvalidDataException($"profile file '{path}' has no latencies for slice profile '{profile}'");
            }

            var bad = points.FirstOrDefault(p => p.Key < 1 || !(p.Value > 0) || double.IsInfinity(p.Value));
            if (bad.Key != 0 || bad.Value != 0)
            {
                throw new InvalidDataException($"profile file '{path}': {profile} batch {bad.Key.ToString(CultureInfo.InvariantCulture)} -> {bad.Value.ToString(CultureInfo.InvariantCulture)} ms is not a batch size of at least 1 with a positive latency");
            }

            result[profile] = points;
        }

        return result;
    }

    /// <summary>Times one execution at batch 1 and, for a batched model, one at the maximum batch.</summary>
    public static IReadOnlyDictionary<int, double> Measure(IModelRunner runner)
    {
        return WarmUp.Batches(runner.Signature).Distinct().ToDictionary(b => b, b =>
        {
            var inputs = ZeroInputs.For(runner.Signature, b);
            var started = Stopwatch.GetTimestamp();
            runner.Run(inputs);
            return Math.Max(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 0.001);
        });
    }
}
