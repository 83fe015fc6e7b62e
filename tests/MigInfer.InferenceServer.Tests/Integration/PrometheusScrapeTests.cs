using System.Text.Json;
using MigInfer.InferenceServer.Tests.Fixtures;
using MigInfer.OnnxModels;

namespace MigInfer.InferenceServer.Tests.Integration;

/// <summary>The server's <c>/metrics</c> as a real Prometheus reads it: OpenMetrics first, every series kept.</summary>
public sealed class PrometheusScrapeTests
{
    private const string Model = ModelZoo.TinyMlp;

    [SkippableFact]
    public async Task RealPrometheus_ScrapesAServerThatHasAnsweredRequests()
    {
        await using var server = await RunningServer.StartAsync(RunningServer.OptionsFor(Model) with { Slo = TimeSpan.FromSeconds(30) });
        for (var i = 0; i < 3; i++)
        {
            await server.Grpc.ModelInferAsync(Requests.Fp32(Model, "input", [1, 2, 3, 4], [1, 4], raw: i % 2 == 0)).ResponseAsync.WithTimeout();
            Assert.Equal(200, (await Requests.PostAsync(server.Http, $"/v2/models/{Model}/infer", Requests.Json("input", "FP32", [1, 4], [1, 2, 3, 4]))).Status);
        }

        await using var prometheus = RealPrometheus.Start(server.Metrics.BaseAddress!.Authority);

        var target = Assert.Single(await prometheus.ScrapedTargetsAsync());
        Assert.True(target.Health == "up", $"{target.Url}: {target.Health}: {target.Error}");
        using var answer = JsonDocument.Parse(await prometheus.Api.GetStringAsync(new Uri("api/v1/query?query=sum(miginfer_slo_requests_total%7Boutcome%3D%22met%22%7D)", UriKind.Relative)));
        var value = answer.RootElement.GetProperty("data").GetProperty("result")[0].GetProperty("value")[1].GetString();
        Assert.Equal("6", value);
    }
}
