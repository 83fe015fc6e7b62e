using k8s;
using MigInfer.Operator.Hosting;
using MigInfer.Operator.Observability;
using MigInfer.Operator.Tests.Fixtures;

namespace MigInfer.Operator.Tests.Cluster;

/// <summary>One operator replica running in the test process until stopped.</summary>
internal sealed class RunningOperator : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Kubernetes _client;
    private Task? _run;

    public RunningOperator(OperatorHost host, Kubernetes client, OperatorMetrics metrics)
    {
        Host = host;
        _client = client;
        Metrics = metrics;
        _run = Task.Run(() => host.RunAsync(_stop.Token));
    }

    public OperatorHost Host { get; }

    public OperatorMetrics Metrics { get; }

    /// <summary>Stops the replica as a crash would: no cleanup beyond cancelling its work.</summary>
    public async Task StopAsync()
    {
        if (_run is null)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _run.Within();
        }
        catch (OperationCanceledException)
        {
        }

        _run = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Host.Dispose();
        _client.Dispose();
        _stop.Dispose();
    }
}
