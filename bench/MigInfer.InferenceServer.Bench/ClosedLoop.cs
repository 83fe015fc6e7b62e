using System.Collections.Concurrent;
using System.Diagnostics;

namespace MigInfer.InferenceServer.Bench;

/// <summary>Runs <c>concurrency</c> workers that each issue one request after another for a fixed time.</summary>
internal static class ClosedLoop
{
    public static async Task<LoadResult> RunAsync(int concurrency, TimeSpan duration, Func<Task> call)
    {
        var latencies = new ConcurrentQueue<double>();
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                await call().ConfigureAwait(false);
                latencies.Enqueue(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        await Task.WhenAll(workers).ConfigureAwait(false);
        clock.Stop();
        return new LoadResult(latencies.Count, clock.Elapsed, [.. latencies]);
    }
}
