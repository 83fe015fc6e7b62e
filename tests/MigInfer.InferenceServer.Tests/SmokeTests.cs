using MigInfer.InferenceServer.Protocol;
using MigInfer.InferenceServer.Tests.Fixtures;
using MigInfer.OnnxModels;

namespace MigInfer.InferenceServer.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task ServerLive_AnswersTrue()
    {
        await using var server = await RunningServer.StartAsync(ModelZoo.TinyMlp);
        var live = await server.Grpc.ServerLiveAsync(new ServerLiveRequest()).ResponseAsync.WithTimeout();
        Assert.True(live.Live);
    }
}
