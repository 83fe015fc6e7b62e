using MigInfer.Cli.Local;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Documents;

namespace MigInfer.Cli.Tests.Local;

public sealed class SliceProcessTests
{
    private const string Service = """
        apiVersion: miginfer.io/v1alpha1
        kind: InferenceService
        metadata: { name: broken, namespace: ns }
        spec:
          model: { storageUri: file://broken.onnx, maxBatchSize: 4, memoryMiB: 100 }
          slo: { latencyMs: 50 }
          traffic: { requestsPerSecond: 1 }
          profile:
            gpuProduct: NVIDIA-A100-SXM4-40GB
            latencies: [ { profile: 1g.5gb, batch: 1, ms: 5 } ]
        """;

    [Fact]
    public async Task ServerThatCannotLoadItsModel_FailsWithItsOwnReasonFromThisStartOnly()
    {
        var folder = Directory.CreateTempSubdirectory("miginfer-slice-").FullName;
        try
        {
            var model = Path.Combine(folder, "broken.onnx");
            await File.WriteAllTextAsync(model, "not an ONNX model");
            var log = Path.Combine(folder, "broken.log");
            await File.WriteAllTextAsync(log, "2026-01-01T00:00:00.000Z crit: an earlier start failed otherwise\n");
            var (document, demand) = Assert.Single(ServiceReader.ReadWithDocuments(Service, "broken.yaml", GpuCatalog.Default));
            var launch = new SliceLaunch(new LocalServiceSpec(demand, document, "broken.yaml", model), "1g.5gb", "n", 0, 0, 0, 0, 0, [], 1);
            using var slice = new SliceProcess(launch, Path.Combine(AppContext.BaseDirectory, "MigInfer.InferenceServer.dll"), log);

            slice.Start();
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => slice.WaitReadyAsync(TimeSpan.FromSeconds(60), CancellationToken.None));

            Assert.StartsWith("ns/broken 1g.5gb n/0@0 exited with code 1 before it was ready:\n", error.Message, StringComparison.Ordinal);
            Assert.Contains("Model broken failed to load; stopping: InvalidDataException: ONNX Runtime cannot load the model: ", error.Message, StringComparison.Ordinal);
            Assert.EndsWith($"(log: {log})", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("an earlier start", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
