using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using MigInfer.InferenceServer.Protocol.Peer;

namespace MigInfer.InferenceServer.Tests.Fixtures;

/// <summary>
/// A peer that speaks the SlicePeer protocol on loopback and can fall silent on command: reports
/// stop while connections stay open, as with a hung or partitioned process, and forwarded requests
/// hang after (or before) saying they started.
/// </summary>
internal sealed class FakePeer : SlicePeer.SlicePeerBase, IAsyncDisposable
{
    private readonly TaskCompletionSource _silent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _received = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;

    public FakePeer(string profile, bool startsForwards)
    {
        Profile = profile;
        StartsForwards = startsForwards;
    }

    public string Profile { get; }

    /// <summary>Whether a forwarded request gets a Started event before the peer hangs.</summary>
    public bool StartsForwards { get; }

    /// <summary>What the peer's backlog reports say of its readiness (a draining peer says false).</summary>
    public bool Ready { get; set; } = true;

    /// <summary>Completes when a forwarded request arrived.</summary>
    public Task Received => _received.Task;

    public static async Task<FakePeer> StartAsync(int port, string profile, bool startsForwards)
    {
        var peer = new FakePeer(profile, startsForwards);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(peer);
        var app = builder.Build();
        app.MapGrpcService<FakePeer>();
        await app.StartAsync().WithTimeout();
        peer._app = app;
        return peer;
    }

    /// <summary>Stops every report and answer from now on.</summary>
    public void FallSilent() => _silent.TrySetResult();

    public override Task<HelloResponse> Hello(HelloRequest request, ServerCallContext context) =>
        Task.FromResult(new HelloResponse { ModelName = request.ModelName, ModelVersion = "1", SliceProfile = Profile, MaxBatchSize = 8 });

    public override async Task Watch(WatchRequest request, IServerStreamWriter<BacklogReport> responseStream, ServerCallContext context)
    {
        while (!_silent.Task.IsCompleted && !context.CancellationToken.IsCancellationRequested)
        {
            await responseStream.WriteAsync(new BacklogReport { Ready = Ready });
            await Task.Delay(20, context.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await Task.Delay(Timeout.Infinite, context.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public override async Task Infer(PeerInferRequest request, IServerStreamWriter<PeerInferEvent> responseStream, ServerCallContext context)
    {
        if (StartsForwards)
        {
            await responseStream.WriteAsync(new PeerInferEvent { Started = true, Backlog = new BacklogReport { Ready = true } });
        }

        _received.TrySetResult();
        await Task.Delay(Timeout.Infinite, context.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(grace.Token).WithTimeout();
            await _app.DisposeAsync();
        }
    }
}
