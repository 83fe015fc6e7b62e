using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MigInfer.InferenceServer.Bench;

/// <summary>
/// What the server's warm-up buys: fresh ONNX Runtime sessions with the server's options, warmed up on zeros at batch 1
/// alone, at 1 and the maximum, or at 1 and the maximum twice (the server's warm-up), then five runs at each probe
/// batch. Prints, per probe, the median over the repeats of the slower of the first two runs against the median of the
/// next three: 1.00 means the first requests of that size pay nothing extra (on the CPU, ONNX Runtime can pay on the
/// second run of a shape rather than the first). The warm-ups alternate so all see the same machine.
/// <para>
/// With a longest length, the warm-ups are the server's for a model with limited dimensions instead: batch 1 and the
/// maximum twice at length 1, and that followed by batch 1 and the maximum twice each at the longest length; the
/// probes run at the probe length.
/// </para>
/// </summary>
internal static class FirstRuns
{
    public static void Run(string modelPath, int maxBatch, int[] probes, int repeats, int threads, int sequence, int? longest)
    {
        (int Batch, int Length)[][] warmUps = longest is { } l
            ? [[(1, 1), (maxBatch, 1), (maxBatch, 1)], [(1, 1), (maxBatch, 1), (maxBatch, 1), (1, l), (1, l), (maxBatch, l), (maxBatch, l)]]
            : [[(1, sequence)], [(1, sequence), (maxBatch, sequence)], [(1, sequence), (maxBatch, sequence), (maxBatch, sequence)]];
        var ratios = warmUps.Select(_ => probes.Select(_ => new List<double>()).ToArray()).ToArray();
        for (var repeat = 0; repeat < repeats; repeat++)
        {
            for (var w = 0; w < warmUps.Length; w++)
            {
                using var options = new SessionOptions { IntraOpNumThreads = threads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
                using var session = new InferenceSession(modelPath, options);
                foreach (var (batch, length) in warmUps[w])
                {
                    Time(session, batch, length);
                }

                for (var p = 0; p < probes.Length; p++)
                {
                    var firstTwo = Math.Max(Time(session, probes[p], sequence), Time(session, probes[p], sequence));
                    var steady = Medians.Of(Enumerable.Range(0, 3).Select(_ => Time(session, probes[p], sequence)));
                    ratios[w][p].Add(firstTwo / steady);
                }
            }
        }

        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"{Path.GetFileName(modelPath)}: slower of the first two runs / steady state at each batch (length {sequence}), median of {repeats} fresh sessions, intra-op threads {threads}, {Environment.ProcessorCount} cores"));
        Console.WriteLine($"| warm-up (batch x length) | {string.Join(" | ", probes.Select(b => $"b={b}"))} |");
        Console.WriteLine($"|---|{string.Concat(probes.Select(_ => "---:|"))}");
        for (var w = 0; w < warmUps.Length; w++)
        {
            Console.WriteLine(string.Create(inv, $"| {string.Join(", ", warmUps[w].Select(s => $"{s.Batch}x{s.Length}"))} | {string.Join(" | ", ratios[w].Select(r => Medians.Of(r).ToString("0.00", inv)))} |"));
        }
    }

    /// <summary>One run on zeros: the first dimension is the batch, other variable dimensions <paramref name="sequence"/>.</summary>
    private static double Time(InferenceSession session, int batch, int sequence)
    {
        var inputs = session.InputMetadata.Select(input =>
        {
            var shape = input.Value.Dimensions.Select((d, i) => i == 0 ? batch : d < 0 ? sequence : d).ToArray();
            return input.Value.ElementDataType == TensorElementType.Int64
                ? NamedOnnxValue.CreateFromTensor(input.Key, new DenseTensor<long>(shape))
                : NamedOnnxValue.CreateFromTensor(input.Key, new DenseTensor<float>(shape));
        }).ToList();
        var started = Stopwatch.GetTimestamp();
        using var outputs = session.Run(inputs);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}
