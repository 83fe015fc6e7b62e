using MigInfer.Cli.Local;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Documents;

namespace MigInfer.Cli.Tests.Local;

public sealed class SliceLaunchTests
{
    private const string Service = """
        apiVersion: miginfer.io/v1alpha1
        kind: InferenceService
        metadata: { name: m, namespace: ns }
        spec:
          model: { storageUri: file://m.onnx, maxBatchSize: 32, memoryMiB: 1000, maxDims: { sequence: 512, frames: 30 } }
          slo: { latencyMs: 50, percentile: 99.5 }
          traffic: { requestsPerSecond: 100 }
          batching: { maxQueueDelayMicroseconds: 2000, preferredBatchSizes: [8, 32], maxQueueSize: 256 }
          profile:
            gpuProduct: NVIDIA-A100-SXM4-40GB
            latencies: [ { profile: 1g.5gb, batch: 1, ms: 5 } ]
        """;

    [Fact]
    public void EveryModelSloAndBatchingField_ReachesTheServersCommandLine()
    {
        var (document, demand) = Assert.Single(ServiceReader.ReadWithDocuments(Service, "m.yaml", GpuCatalog.Default));
        var launch = new SliceLaunch(new LocalServiceSpec(demand, document, "m.yaml", "m.onnx"), "1g.5gb", "n", 0, 0, 8000, 8001, 8002, [], 1);

        var arguments = launch.Arguments().Chunk(2).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1]);

        Assert.Equal("50", arguments["--slo-ms"]);
        Assert.Equal("99.5", arguments["--slo-percentile"]);
        Assert.Equal("32", arguments["--max-batch-size"]);
        Assert.Equal("2000", arguments["--max-queue-delay-us"]);
        Assert.Equal("8,32", arguments["--preferred-batch-sizes"]);
        Assert.Equal("256", arguments["--max-queue-size"]);
        Assert.Equal("frames=30,sequence=512", arguments["--max-dims"]);
    }
}
