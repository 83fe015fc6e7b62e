using k8s;
using Microsoft.Extensions.Logging.Console;
using MigInfer.Operator.Hosting;
using MigInfer.Operator.Observability;
using Prometheus;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddInMemoryCollection(ChartEnvironment.Read(Environment.GetEnvironmentVariables()));
builder.Configuration.AddEnvironmentVariables();
builder.Configuration.AddCommandLine(args);
builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName ??= ConsoleFormatterNames.Json);
builder.Services.Configure<JsonConsoleFormatterOptions>(o => o.IncludeScopes = true);

KubernetesClientConfiguration cluster;
try
{
    cluster = ClusterConnection.Load();
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"miginfer-operator: {e.Message}");
    return 2;
}

var options = builder.Configuration.GetSection(OperatorOptions.Section).Get<OperatorOptions>() ?? new OperatorOptions();
builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
builder.WebHost.UseUrls($"http://0.0.0.0:{options.HealthPort}", $"http://0.0.0.0:{options.MetricsPort}");
builder.Services.AddSingleton<IKubernetes>(_ => new Kubernetes(cluster));
builder.Services.AddSingleton(new OperatorMetrics(Metrics.DefaultRegistry));
builder.Services.AddSingleton<OperatorService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<OperatorService>());

var app = builder.Build();
var health = $"*:{options.HealthPort}";
app.MapGet("/healthz", () => "ok").RequireHost(health);
app.MapGet("/readyz", (OperatorService service) => service.Ready ? Results.Text("ok") : Results.Text("informers not synced", statusCode: 503)).RequireHost(health);
app.MapMetrics().RequireHost($"*:{options.MetricsPort}");
try
{
    await app.RunAsync();
}
catch (IOException e)
{
    Console.Error.WriteLine($"miginfer-operator: cannot listen (health port {options.HealthPort}, metrics port {options.MetricsPort}): {e.Message}");
    return 1;
}

return 0;
