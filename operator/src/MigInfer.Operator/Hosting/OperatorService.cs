using k8s;
using MigInfer.Operator.Controllers;
using MigInfer.Operator.Observability;
using Microsoft.Extensions.Options;

namespace MigInfer.Operator.Hosting;

/// <summary>Runs the <see cref="OperatorHost"/> inside the ASP.NET Core host that serves health and metrics.</summary>
internal sealed class OperatorService(IKubernetes client, IOptions<OperatorOptions> options, OperatorMetrics metrics, ILoggerFactory logs) : BackgroundService
{
    private OperatorHost? _host;

    /// <summary>Ready once the informers have listed every kind (a standby replica is ready too).</summary>
    public bool Ready => _host?.Ready == true;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _host = new OperatorHost(client, options.Value, new InformerOptions(), metrics, TimeProvider.System, logs);
        try
        {
            await _host.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _host.Dispose();
        }
    }
}
