using System.Net;
using MigInfer.InferenceServer.Configuration;
using MigInfer.InferenceServer.Tests.Fixtures;

namespace MigInfer.InferenceServer.Tests.Configuration;

public sealed class ServerCommandLineTests
{
    [Fact]
    public async Task EveryDesignOption_IsParsedFromTheCommandLine()
    {
        var options = await ParseAsync(
            [
                "--model-path", "/mnt/models/model.onnx", "--model-name", "resnet50", "--model-version", "3",
                "--http-port", "0", "--grpc-port", "9001", "--metrics-port", "9002", "--slice-profile", "3g.20gb",
                "--slo-ms", "50", "--slo-percentile", "99.9", "--max-batch-size", "16", "--max-queue-delay-us", "2000", "--preferred-batch-sizes", "4,16", "--peers", "a:1,b.svc:8001",
                "--execution-provider", "cuda", "--intra-op-threads", "2",
                "--peer-dns", "resnet50-peers.vision.svc.cluster.local:8001", "--peer-refresh-ms", "250",
                "--max-dims", "sequence=512, frames = 30",
            ],
            _ => null);

        Assert.Equal(("/mnt/models/model.onnx", "resnet50", "3"), (options.ModelPath, options.ModelName, options.ModelVersion));
        Assert.Equal((0, 9001, 9002), (options.HttpPort, options.GrpcPort, options.MetricsPort));
        Assert.Equal("3g.20gb", options.SliceProfile);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.Slo);
        Assert.Equal(99.9, options.SloPercentile);
        Assert.Equal(16, options.MaxBatchSize);
        Assert.Equal(TimeSpan.FromMicroseconds(2000), options.MaxQueueDelay);
        Assert.Equal([4, 16], options.PreferredBatchSizes);
        Assert.Equal([new DnsEndPoint("a", 1), new DnsEndPoint("b.svc", 8001)], options.Peers);
        Assert.Equal(ExecutionProviderKind.Cuda, options.ExecutionProvider);
        Assert.Equal(2, options.IntraOpThreads);
        Assert.Equal(new DnsEndPoint("resnet50-peers.vision.svc.cluster.local", 8001), options.PeerDns);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.PeerRefresh);
        Assert.Equal(new Dictionary<string, long> { ["sequence"] = 512, ["frames"] = 30 }, options.MaxDims);
    }

    [Fact]
    public async Task Environment_FillsOptionsAndTheCommandLineWins()
    {
        var environment = new Dictionary<string, string>
        {
            ["MIGINFER_MODEL_PATH"] = "/env/bert.onnx",
            ["MIGINFER_HTTP_PORT"] = "7000",
            ["MIGINFER_SLICE_PROFILE"] = "1g.5gb",
            ["MIGINFER_MAX_BATCH_SIZE"] = "4",
            ["MIGINFER_PEER_DNS"] = "bert-peers.nlp.svc.cluster.local:8001",
        };

        var options = await ParseAsync(["--max-batch-size", "8"], environment.GetValueOrDefault);

        Assert.Equal(("/env/bert.onnx", "bert"), (options.ModelPath, options.ModelName));
        Assert.Equal((7000, 8001, 8002), (options.HttpPort, options.GrpcPort, options.MetricsPort));
        Assert.Equal("1g.5gb", options.SliceProfile);
        Assert.Equal(8, options.MaxBatchSize);
        Assert.Equal(ExecutionProviderKind.Cpu, options.ExecutionProvider);
        Assert.Equal(new DnsEndPoint("bert-peers.nlp.svc.cluster.local", 8001), options.PeerDns);
        Assert.Equal(TimeSpan.FromSeconds(5), options.PeerRefresh);
        Assert.Equal(99, options.SloPercentile);
        Assert.Empty(options.Peers);
    }

    [Fact]
    public void NoPeerOptions_MeanNoPeersAndNoDiscovery()
    {
        var options = ServerCommandLine.Bind(new Dictionary<string, string> { ["--model-path"] = "m.onnx" }.GetValueOrDefault, []);

        Assert.NotNull(options);
        Assert.Empty(options.Peers);
        Assert.Null(options.PeerDns);
    }

    public static TheoryData<string, string, string> BadValues => new()
    {
        { "--http-port", "70000", "--http-port (MIGINFER_HTTP_PORT) is '70000'" },
        { "--max-batch-size", "0", "--max-batch-size" },
        { "--execution-provider", "tpu", "cpu or cuda" },
        { "--peers", "nohost", "host:port" },
        { "--peer-dns", "svc-peers:0", "--peer-dns (MIGINFER_PEER_DNS) is 'svc-peers:0' but must be host:port" },
        { "--peer-dns", "svc-peers:http", "--peer-dns (MIGINFER_PEER_DNS) is 'svc-peers:http'" },
        { "--peer-dns", "svc-peers", "host:port" },
        { "--peer-refresh-ms", "99", "--peer-refresh-ms (MIGINFER_PEER_REFRESH_MS) is '99' but must be an integer from 100" },
        { "--peer-refresh-ms", "5s", "--peer-refresh-ms (MIGINFER_PEER_REFRESH_MS) is '5s'" },
        { "--slo-ms", "-1", "positive number" },
        { "--grpc-port", "8000", "--grpc-port (MIGINFER_GRPC_PORT) is 8000, the same as --http-port; give each listener its own port" },
        { "--metrics-port", "8001", "--metrics-port (MIGINFER_METRICS_PORT) is 8001, the same as --grpc-port" },
        { "--slo-percentile", "100", "--slo-percentile (MIGINFER_SLO_PERCENTILE) is '100' but must be a percentage from 50 to 99.99" },
        { "--slo-percentile", "0.99", "--slo-percentile (MIGINFER_SLO_PERCENTILE) is '0.99'" },
        { "--preferred-batch-sizes", "4,0", "--preferred-batch-sizes (MIGINFER_PREFERRED_BATCH_SIZES) is '4,0' but must be a comma-separated list of batch sizes" },
        { "--preferred-batch-sizes", "64", "--preferred-batch-sizes (MIGINFER_PREFERRED_BATCH_SIZES) has 64, above --max-batch-size 32" },
        { "--max-dims", "sequence", "--max-dims (MIGINFER_MAX_DIMS) is 'sequence' but must be a comma-separated list of dimension=length, each length at least 1" },
        { "--max-dims", "sequence=0", "--max-dims (MIGINFER_MAX_DIMS) is 'sequence=0'" },
        { "--max-dims", "sequence=512,sequence=128", "--max-dims (MIGINFER_MAX_DIMS) is 'sequence=512,sequence=128'" },
        { "--max-dims", "=5", "--max-dims (MIGINFER_MAX_DIMS) is '=5'" },
        { "--model-sha256", "abc", "64 hex digits" },
        { "--profile-file", "/does/not/exist.yaml", "does not exist" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void BadValue_IsReportedWithOptionEnvironmentNameAndValue(string option, string value, string expected)
    {
        var errors = new List<string>();
        var raw = new Dictionary<string, string> { ["--model-path"] = "m.onnx", [option] = value };

        Assert.Null(ServerCommandLine.Bind(raw.GetValueOrDefault, errors));

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task BadPeerDns_ExitsWith2WithoutRunning()
    {
        var ran = false;
        var root = ServerCommandLine.Create(_ => null, (_, _) =>
        {
            ran = true;
            return Task.FromResult(0);
        });

        Assert.Equal(2, await root.Parse(["--model-path", "m.onnx", "--peer-dns", "svc-peers:70000"]).InvokeAsync().WithTimeout());
        Assert.False(ran);
    }

    [Fact]
    public void MissingModelPath_IsAnError()
    {
        var errors = new List<string>();
        Assert.Null(ServerCommandLine.Bind(_ => null, errors));
        Assert.Contains(errors, e => e.Contains("MIGINFER_MODEL_PATH", StringComparison.Ordinal));
    }

    private static async Task<ServerOptions> ParseAsync(string[] args, Func<string, string?> environment)
    {
        ServerOptions? captured = null;
        var root = ServerCommandLine.Create(environment, (options, _) =>
        {
            captured = options;
            return Task.FromResult(0);
        });
        Assert.Equal(0, await root.Parse(args).InvokeAsync().WithTimeout());
        return captured!;
    }
}
