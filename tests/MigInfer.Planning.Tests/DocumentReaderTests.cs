using MigInfer.Planning.Catalog;
using MigInfer.Planning.Documents;
using MigInfer.Planning.Model;

namespace MigInfer.Planning.Tests;

public sealed class DocumentReaderTests
{
    private const string Service = """
        apiVersion: miginfer.io/v1alpha1
        kind: InferenceService
        metadata: { name: resnet50, namespace: vision }
        spec:
          model: { storageUri: file://m.onnx, format: onnx, maxBatchSize: 32, memoryMiB: 1800 }
          slo: { latencyMs: 50, percentile: 99 }
          traffic:
            requestsPerSecond: 800
            batchSizes: [ {size: 1, weight: 60}, {size: 8, weight: 30}, {size: 32, weight: 10} ]
          profile:
            gpuProduct: NVIDIA-A100-SXM4-40GB
            latencies:
              - { profile: 1g.5gb, batch: 1, ms: 6.1 }
              - { profile: 1g.5gb, batch: 8, ms: 30 }
              - { profile: 7g.40gb, batch: 1, ms: 3 }
              - { profile: 7g.40gb, batch: 32, ms: 17 }
        """;

    private static IReadOnlyList<ServiceDemand> Read(string yaml) => ServiceReader.Read(yaml, "svc.yaml", GpuCatalog.Default);

    [Fact]
    public void InferenceService_BecomesADemandWithNormalisedWeights()
    {
        var service = Assert.Single(Read(Service));

        Assert.Equal("vision/resnet50", service.Name);
        Assert.Equal((50.0, 800.0, 32, 1800), (service.SloMs, service.RequestsPerSecond, service.MaxBatchSize, service.MemoryMiB));
        Assert.Equal([new SizeClass(1, 0.6), new SizeClass(8, 0.3), new SizeClass(32, 0.1)], service.Sizes.Select(s => s with { Weight = Math.Round(s.Weight, 9) }));
        Assert.Equal(ProfileSource.Measured, service.Latencies[0].Source);
        Assert.Equal(6.1 + (23.9 * 3 / 7), service.Latencies[0].Milliseconds("1g.5gb", 4)!.Value, 9);
    }

    [Theory]
    [InlineData("requestsPerSecond: 800", "requestsPerSecond: -5", "spec.traffic.requestsPerSecond = -5")]
    [InlineData("requestsPerSecond: 800", "", "spec.traffic.requestsPerSecond is missing")]
    [InlineData("gpuProduct: NVIDIA-A100-SXM4-40GB", "gpuProduct: NVIDIA-T4", "spec.profile.gpuProduct = NVIDIA-T4")]
    [InlineData("profile: 7g.40gb, batch: 1", "profile: 8g.50gb, batch: 1", "spec.profile.latencies[2].profile = 8g.50gb")]
    [InlineData("{size: 32, weight: 10}", "{size: 64, weight: 10}", "spec.traffic.batchSizes[].size = 64 is above spec.model.maxBatchSize 32")]
    [InlineData("latencyMs: 50", "latencyMs: 0", "spec.slo.latencyMs = 0")]
    [InlineData("percentile: 99", "percentile: 0.99", "spec.slo.percentile = 0.99 must be from 50 to 99.99")]
    [InlineData("percentile: 99", "percentile: 100", "spec.slo.percentile = 100 must be from 50 to 99.99")]
    [InlineData("{ profile: 1g.5gb, batch: 8, ms: 30 }", "{ profile: 1g.5gb, batch: 1, ms: 30 }", "profile 1g.5gb batch 1 is given 2 times")]
    [InlineData("{size: 8, weight: 30}", "{size: 8, weight: 0}", "spec.traffic.batchSizes[1].weight = 0 must be positive")]
    [InlineData("{size: 8, weight: 30}", "{size: 1, weight: 30}", "spec.traffic.batchSizes: size 1 is given 2 times")]
    [InlineData("    latencies:", "    estimate: {gflopsPerSample: 8}\n    latencies:", "spec.profile: give latencies (measured) or estimate (roofline), not both")]
    [InlineData("  profile:\n", "  batching: {preferredBatchSizes: [8, 64]}\n  profile:\n", "spec.batching.preferredBatchSizes[1] = 64 must be from 1 to spec.model.maxBatchSize = 32")]
    [InlineData("  profile:\n", "  batching: {preferredBatchSizes: [0]}\n  profile:\n", "spec.batching.preferredBatchSizes[0] = 0 must be from 1")]
    [InlineData("memoryMiB: 1800 }", "memoryMiB: 1800, maxDims: {sequence: 0} }", "spec.model.maxDims.sequence = 0 must be from 1 to 1048576")]
    [InlineData("memoryMiB: 1800 }", "memoryMiB: 1800, maxDims: {'seq,len': 64} }", "spec.model.maxDims has 'seq,len', which is not a symbolic dimension name of 1 to 128 characters without ',', '=' or spaces")]
    public void BadFields_AreNamedWithTheFileAndTheObject(string from, string to, string expected)
    {
        var ex = Assert.Throws<DocumentException>(() => Read(Service.Replace(from, to)));

        Assert.StartsWith("svc.yaml: InferenceService vision/resnet50: ", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void MissingProfileTable_SaysWhatToGive()
    {
        var yaml = Service[..Service.IndexOf("  profile:", StringComparison.Ordinal)] + "  profile: { gpuProduct: NVIDIA-A100-SXM4-40GB }\n";

        var ex = Assert.Throws<DocumentException>(() => Read(yaml));

        Assert.Contains("spec.profile has no latency table", ex.Message);
    }

    [Fact]
    public void UnknownField_IsRejectedWithItsLine()
    {
        var ex = Assert.Throws<DocumentException>(() => Read(Service.Replace("format: onnx", "format: onnx, replicas: 3")));

        Assert.Matches(@"^svc\.yaml:5:\d+: .*replicas", ex.Message);
    }

    [Fact]
    public void MalformedYaml_NamesTheFileAndLine()
    {
        var ex = Assert.Throws<DocumentException>(() => Read(Service.Replace("slo: { latencyMs: 50, percentile: 99 }", "slo: { latencyMs: 50, percentile: 99")));

        Assert.Equal("svc.yaml:6:35: the YAML cannot be parsed after this point (an unclosed '{' or '[', or broken indentation)", ex.Message);
    }

    [Theory]
    [InlineData("metadata: { name: resnet50, namespace: vision }", "metadata: { name: resnet50\nspec: [")]
    [InlineData("  traffic:", "  traffic: [")]
    [InlineData("requestsPerSecond: 800", "requestsPerSecond: 800\n   bad indentation: x")]
    public void MalformedYaml_SaysWhatTheParserExpected(string from, string to)
    {
        var ex = Assert.Throws<DocumentException>(() => Read(Service.Replace(from, to)));

        Assert.Matches(@"^svc\.yaml:\d+:\d+: ", ex.Message);
        Assert.DoesNotContain("Operation is not valid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_GivesLabelledTablesForEveryProduct()
    {
        var yaml = Service[..Service.IndexOf("  profile:", StringComparison.Ordinal)] + "  profile:\n    estimate: { gflopsPerSample: 8.2, weightMiB: 49, activationMiBPerSample: 12 }\n";

        var service = Assert.Single(Read(yaml));

        Assert.Equal(GpuCatalog.Default.Products.Count, service.Latencies.Length);
        Assert.All(service.Latencies, t => Assert.Equal(ProfileSource.Estimated, t.Source));
        var a100 = service.Latencies.Single(t => t.GpuProduct == "NVIDIA-A100-SXM4-40GB");
        Assert.True(a100.Milliseconds("1g.5gb", 32) > a100.Milliseconds("7g.40gb", 32), "a large batch is slower on a small slice");
        Assert.True(a100.Milliseconds("1g.5gb", 1) / a100.Milliseconds("7g.40gb", 1) < 2, "a single sample loses little on a small slice");
    }

    [Theory]
    [InlineData("memoryMiB: 1800", "memoryMiB: 1800", true, 1800, false)] // given: used as it is
    [InlineData("memoryMiB: 1800", "memoryMiB: null", true, 49 + (12 * 32), true)] // absent, a model cost: weights + a maximum batch's activations
    [InlineData("memoryMiB: 1800", "memoryMiB: null", false, 0, false)] // absent, a measured table: fits every slice
    public void ModelMemory_IsGivenOrEstimatedFromTheModelCost(string from, string to, bool estimateProfile, int memoryMiB, bool estimated)
    {
        var yaml = Service.Replace(from, to, StringComparison.Ordinal);
        if (estimateProfile)
        {
            yaml = yaml[..yaml.IndexOf("  profile:", StringComparison.Ordinal)] + "  profile:\n    estimate: { gflopsPerSample: 8.2, weightMiB: 49, activationMiBPerSample: 12 }\n";
        }

        var service = Assert.Single(Read(yaml));

        Assert.Equal((memoryMiB, estimated), (service.MemoryMiB, service.MemoryEstimated));
    }

    [Theory]
    [InlineData(4, 1.0, 64)]
    [InlineData(1, 0.5, 16)]
    [InlineData(16, 2.0, 128)]
    public void LogNormalSizes_ArePowerOfTwoClassesThatSumToOne(double median, double sigma, int max)
    {
        var classes = RequestSizeDistribution.LogNormal(median, sigma, max);

        Assert.Equal(1.0, classes.Sum(c => c.Weight), 9);
        Assert.All(classes, c => Assert.True(c.Size == max || (c.Size & (c.Size - 1)) == 0, $"{c.Size} is a power of two or the max"));
        Assert.True(classes.Max(c => c.Size) <= max);
        var medianClass = classes.First(c => classes.Where(x => x.Size <= c.Size).Sum(x => x.Weight) >= 0.5).Size;
        Assert.InRange(medianClass, median, Math.Min(max, 2 * median));
    }

    [Fact]
    public void Inventory_ReadsNodesLabelsAndCurrentSlices()
    {
        const string yaml = """
            apiVersion: miginfer.io/v1alpha1
            kind: ClusterInventory
            nodes:
              - name: gpu-node-1
                gpuProduct: NVIDIA-A100-SXM4-40GB
                gpuCount: 8
                labels: { zone: a }
                gpus:
                  - index: 0
                    slices: [ {profile: 3g.20gb, start: 4, service: vision/resnet50} ]
            """;

        var inventory = InventoryReader.Read(yaml, "c.yaml", GpuCatalog.Default);

        var node = Assert.Single(inventory.Nodes);
        Assert.Equal(("gpu-node-1", 8, "a"), (node.Name, node.GpuCount, node.Labels["zone"]));
        Assert.Equal(new PlacedSlice("3g.20gb", 4, "vision/resnet50"), Assert.Single(Assert.Single(node.Gpus).Slices));
    }

    [Fact]
    public void InventoryWithoutNodeName_NamesTheEntry()
    {
        var ex = Assert.Throws<DocumentException>(() => InventoryReader.Read("kind: ClusterInventory\nnodes:\n  - gpuCount: 2\n", "c.yaml", GpuCatalog.Default));

        Assert.Equal("c.yaml: nodes[0]: name is missing", ex.Message);
    }
}
