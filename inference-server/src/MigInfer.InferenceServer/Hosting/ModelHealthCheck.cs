using Microsoft.Extensions.Diagnostics.HealthChecks;
using MigInfer.InferenceServer.Model;

namespace MigInfer.InferenceServer.Hosting;

/// <summary>Healthy (gRPC health SERVING) only while the model is loaded, warmed up and not draining.</summary>
internal sealed class ModelHealthCheck(InferenceEngine engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(engine.State == EngineState.Ready
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"model is {engine.State.ToString().ToLowerInvariant()}"));
}
