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
/// </summary>
internal static class WarmUp
{
    /// <summary>The batch sizes the warm-up runs, in order.</summary>
    public static int[] Batches(ModelSignature signature) =>
        signature.Batched && signature.MaxBatchSize > 1 ? [1, signature.MaxBatchSize, signature.MaxBatchSize] : [1];

    /// <summary>Runs the warm-up and returns how long it took.</summary>
    public static TimeSpan Run(IModelRunner runner)
    {
        var started = Stopwatch.GetTimestamp();
        foreach (var batch in Batches(runner.Signature))
        {
            runner.Run(ZeroInputs.For(runner.Signature, batch));
        }

        return Stopwatch.GetElapsedTime(started);
    }
}
