using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MigInfer.InferenceServer.Tests.Fixtures;

/// <summary>Serves one file over HTTP on loopback, optionally held until released, and counts downloads.</summary>
internal sealed class ModelFileServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _downloads;

    private ModelFileServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public int Downloads => _downloads;

    public static async Task<ModelFileServer> StartAsync(byte[] content, bool held = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ModelFileServer(app);
        if (!held)
        {
            server.Release();
        }

        app.MapGet("/models/model.onnx", async (HttpContext context) =>
        {
            Interlocked.Increment(ref server._downloads);
            await server._release.Task.WaitAsync(context.RequestAborted);
            await context.Response.Body.WriteAsync(content, context.RequestAborted);
        });
        await app.StartAsync().WithTimeout();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Url = new Uri($"{address}/models/model.onnx");
        return server;
    }

    public void Release() => _release.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync().WithTimeout();
        await _app.DisposeAsync();
    }
}
