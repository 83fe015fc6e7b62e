using System.Diagnostics;
using MigInfer.InferenceServer.Model;

namespace MigInfer.InferenceServer.Execution;

/// <summary>
/// Runs a loaded model on zeros before the server says ready, so that the first requests of every size run as fast as
/// later ones: at batch 1, then, for a batched model, twice at the maximum batch (other variable dimensions 1). ONNX
/// Runtime grows its CPU memory arena over the first two runs of a larger shape, and a run at the maximum covers every
/// smaller batch. Warmed at batch 1 alone, the first runs of a full MobileNetV2 at batches 4 to 16 took 4.3 to 4.5 times
/// their steady time, and the latency seed measured at the maximum batch was inflated the same way; warmed this way,
/// 1.0 (docs/benchmarks.md, "Warm-up").
/// <para>
/// A model with limited dimensions (<see cref="DimensionLimits"/>) is then run at its longest lengths: twice at batch 1,
/// and twice at the maximum batch unless that is predicted (batch 1's second run times the batch, twice) to take longer
/// than the budget, as a large model on a CPU would. Warmed at length 1 only, the first runs of a reduced BERT at 8 x 512
/// tokens took 2.3 times their steady time; warmed this way, 1.0 (docs/benchmarks.md, "Warm-up").
/// </para>
/// </summary>
internal static class WarmUp
{
    /// <summary>How long the runs at the longest lengths and the maximum batch may be predicted to take.</summary>
    public static readonly TimeSpan LongestBudget = TimeSpan.FromSeconds(10);

    /// <summary>The batch sizes the warm-up runs at variable dimensions of 1, in order.</summary>
    public static int[] Batches(ModelSignature signature) =>
        signature.Batched && signature.MaxBatchSize > 1 ? [1, signature.MaxBatchSize, signature.MaxBatchSize] : [1];

    /// <summary>Runs the warm-up within the default budget for the longest shapes.</summary>
    public static WarmUpResult Run(IModelRunner runner) => Run(runner, LongestBudget);

    /// <summary>Runs the warm-up and says how long it took and whether it left the longest lengths' maximum batch out.</summary>
    public static WarmUpResult Run(IModelRunner runner, TimeSpan longestBudget)
    {
        var started = Stopwatch.GetTimestamp();
        var signature = runner.Signature;
        var batches = Batches(signature);
        foreach (var batch in batches)
        {
            runner.Run(ZeroInputs.For(signature, batch));
        }

        if (signature.Limits.IsEmpty)
        {
            return new WarmUpResult(Stopwatch.GetElapsedTime(started), LeftOut: null);
        }

        runner.Run(ZeroInputs.For(signature, 1, longest: true));
        var one = Stopwatch.GetTimestamp();
        runner.Run(ZeroInputs.For(signature, 1, longest: true));
        var max = batches[^1];
        var predicted = Stopwatch.GetElapsedTime(one) * max * 2;
        if (max == 1 || predicted > longestBudget)
        {
            return new WarmUpResult(Stopwatch.GetElapsedTime(started), LeftOut: max == 1 ? null : predicted);
        }

        runner.Run(ZeroInputs.For(signature, max, longest: true));
        runner.Run(ZeroInputs.For(signature, max, longest: true));
        return new WarmUpResult(Stopwatch.GetElapsedTime(started), LeftOut: null);
    }
}

/// <summary>What a warm-up did.</summary>
/// <param name="Elapsed">How long it took.</param>
/// <param name="LeftOut">The predicted time of the maximum batch at the longest lengths when over the budget and so not run.</param>
internal readonly record struct WarmUpResult(TimeSpan Elapsed, TimeSpan? LeftOut);
