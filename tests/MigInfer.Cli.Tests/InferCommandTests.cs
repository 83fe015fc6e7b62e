using System.Text.Json;
using MigInfer.Cli.Tests.Fixtures;

namespace MigInfer.Cli.Tests;

public sealed class InferCommandTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("miginfer-home-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task NoLocalMode_SaysHowToStartOne()
    {
        var (code, _, stderr) = await CliProcess.RunIn(_home, _home, "infer", "--service", "resnet50");

        Assert.Equal(2, code);
        Assert.Contains("no local mode is up", stderr);
        Assert.Contains("miginfer local up", stderr);
    }

    [Theory]
    [InlineData("infer", "--batch", "2")]
    [InlineData("bench", "--rate", "5", "--duration", "1s")]
    public async Task ServersThatDoNotAnswer_AreReportedWithoutAStackTrace(string command, params string[] options)
    {
        // A live local mode (this test process) whose only slice listens nowhere.
        File.WriteAllText(Path.Combine(_home, "local.json"), JsonSerializer.Serialize(new
        {
            pid = Environment.ProcessId,
            folder = _home,
            started = DateTimeOffset.Now,
            services = new[]
            {
                new
                {
                    name = "vision/resnet50", model = "resnet50", sloMs = 50.0, maxBatchSize = 8,
                    slices = new[] { new { profile = "1g.5gb", node = "n", gpu = 0, start = 0, http = "127.0.0.1:1", grpc = "127.0.0.1:1", metrics = "127.0.0.1:1", pid = 1 } },
                },
            },
        }));

        var (code, _, stderr) = await CliProcess.RunIn(_home, _home, [command, "--service", "resnet50", .. options]);

        Assert.NotEqual(0, code);
        Assert.StartsWith($"miginfer {command}: ", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
