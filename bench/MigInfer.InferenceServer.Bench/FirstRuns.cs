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
/// </summary>
internal static class FirstRuns
{
    public static void Run(string modelPath, int maxBatch, int[] probes, int repeats, int threads, int sequence)
    {
        int[][] warmUps = [[1], [1, maxBatch], [1, maxBatch, maxBatch]];
        var ratios = warmUps.Select(_ => probes.Select(_ => new List<double>()).ToArray()).ToArray();
        for (var repeat = 0; repeat < repeats; repeat++)
        {
            for (var w = 0; w < warmUps.Length; w++)
            {
                using var options = new SessionOptions { IntraOpNumThreads = threads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
                using var session = new InferenceSession(modelPath, options);
                foreach (var batch in warmUps[w])
                {
                    Time(session, batch, sequence);
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
        Console.WriteLine(string.Create(inv, $"{Path.GetFileName(modelPath)}: slower of the first two runs / steady state at each batch, median of {repeats} fresh sessions, intra-op threads {threads}, {Environment.ProcessorCount} cores"));
        Console.WriteLine($"| warm-up batches | {string.Join(" | ", probes.Select(b => $"b={b}"))} |");
        Console.WriteLine($"|---|{string.Concat(probes.Select(_ => "---:|"))}");
        for (var w = 0; w < warmUps.Length; w++)
        {
            Console.WriteLine(string.Create(inv, $"| {string.Join(", ", warmUps[w])} | {string.Join(" | ", ratios[w].Select(r => Medians.Of(r).ToString("0.00", inv)))} |"));
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
