using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using MigInfer.Cli.Client;

namespace MigInfer.Cli.Bench;

/// <summary>
/// Open-loop load: arrivals follow a Poisson process at the given rate whatever the latency, so a
/// slow server sees a growing queue instead of a slower client (closed-loop load hides that). At most
/// <c>concurrency</c> requests are in flight; arrivals beyond that are counted as not sent.
/// </summary>
internal sealed class LoadGenerator(ServiceEndpoints endpoints, RequestFactory requests, SizeDistribution sizes, int maxBatch, double rate, TimeSpan duration, int concurrency, int seed)
{
    /// <summary>The response parameter in which a server names the slice profile that ran a request.</summary>
    public const string SliceProfileParameter = "miginfer.slice_profile";

    private readonly ConcurrentBag<RequestRecord> _records = [];
    private int _inFlight;
    private int _notSent;

    public int NotSent => _notSent;

    public IReadOnlyCollection<RequestRecord> Records => _records;

    /// <summary>Runs the load; <paramref name="progress"/> gets the elapsed fraction now and then.</summary>
    public async Task RunAsync(Action<double> progress, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var pending = new List<Task>();
        var next = 0.0;
        while (true)
        {
            next += -Math.Log(1 - random.NextDouble()) / rate;
            if (next >= duration.TotalSeconds)
            {
                break;
            }

            var wait = TimeSpan.FromSeconds(next) - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            progress(clock.Elapsed / duration);
            var size = sizes.Draw(random, maxBatch);
            if (Interlocked.Increment(ref _inFlight) > concurrency)
            {
                Interlocked.Decrement(ref _inFlight);
                Interlocked.Increment(ref _notSent);
                continue;
            }

            pending.Add(SendAsync(size, clock, cancellationToken));
        }

        progress(1);
        await Task.WhenAll(pending);
    }

    private async Task SendAsync(int size, Stopwatch clock, CancellationToken cancellationToken)
    {
        var request = requests.Create(size);
        var sent = clock.Elapsed.TotalMilliseconds;
        var status = StatusCode.OK;
        string? profile = null;
        try
        {
            var response = await endpoints.Next().ModelInferAsync(request, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken);
            profile = response.Parameters.TryGetValue(SliceProfileParameter, out var value) ? value.StringParam : null;
        }
        catch (RpcException e)
        {
            status = e.StatusCode;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }

        _records.Add(new RequestRecord(sent, size, clock.Elapsed.TotalMilliseconds - sent, status, profile));
    }
}
