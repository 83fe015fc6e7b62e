using MigInfer.Planning.Catalog;
using MigInfer.Planning.Documents;

namespace MigInfer.Planning.Tests;

/// <summary>spec.profile.profileRef: the latency table kept in a ConfigMap of the service's namespace.</summary>
public sealed class ProfileRefTests
{
    private const string Service = """
        apiVersion: miginfer.io/v1alpha1
        kind: InferenceService
        metadata: { name: resnet50, namespace: vision }
        spec:
          model: { storageUri: file://m.onnx, maxBatchSize: 8 }
          slo: { latencyMs: 50 }
          traffic: { requestsPerSecond: 100 }
          profile:
            profileRef: { configMap: resnet50-profile }
        """;

    private const string ConfigMap = """
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: resnet50-profile, namespace: vision }
        data:
          profile.yaml: |
            gpuProduct: NVIDIA-A100-SXM4-40GB
            source: measured
            latencies:
              - { profile: 1g.5gb, batch: 1, ms: 6.1 }
              - { profile: 1g.5gb, batch: 8, ms: 30 }
        """;

    [Fact]
    public void ConfigMapInTheSameFile_GivesTheTable()
    {
        var service = Assert.Single(Read(Service + "\n---\n" + ConfigMap));

        var table = Assert.Single(service.Latencies);
        Assert.Equal("NVIDIA-A100-SXM4-40GB", table.GpuProduct);
        Assert.Equal(30, table.Milliseconds("1g.5gb", 8));
    }

    [Fact]
    public void ConfigMapFromAnotherFile_IsFoundThroughTheSet()
    {
        var maps = new ConfigMapSet();
        maps.AddFromYaml(ConfigMap, "profiles.yaml");

        var service = Assert.Single(ServiceReader.Read(Service, "svc.yaml", GpuCatalog.Default, maps));

        Assert.Equal(6.1, service.Latencies[0].Milliseconds("1g.5gb", 1));
    }

    [Theory]
    [InlineData("configMap: resnet50-profile", "configMap: other", "spec.profile.profileRef.configMap = other: there is no ConfigMap vision/other")]
    [InlineData("configMap: resnet50-profile", "configMap: resnet50-profile, key: table.yaml", "spec.profile.profileRef.key = table.yaml: ConfigMap vision/resnet50-profile has no such key (keys: profile.yaml)")]
    [InlineData("profileRef: { configMap: resnet50-profile }", "gpuProduct: NVIDIA-A100-SXM4-40GB\n    profileRef: { configMap: resnet50-profile }", "spec.profile: profileRef comes alone")]
    [InlineData("profileRef: { configMap: resnet50-profile }", "profileRef: { key: profile.yaml }", "spec.profile.profileRef.configMap is missing")]
    public void BadReferences_NameTheField(string from, string to, string expected)
    {
        var error = Assert.Throws<DocumentException>(() => Read(Service.Replace(from, to) + "\n---\n" + ConfigMap));

        Assert.StartsWith("svc.yaml: InferenceService vision/resnet50: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigMapOfAnotherNamespace_IsNotVisible()
    {
        var error = Assert.Throws<DocumentException>(() => Read(Service + "\n---\n" + ConfigMap.Replace("namespace: vision", "namespace: nlp")));

        Assert.Contains("there is no ConfigMap vision/resnet50-profile", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("profile: 1g.5gb, batch: 8", "profile: 9g.90gb, batch: 8", "spec.profile.profileRef (ConfigMap vision/resnet50-profile key profile.yaml).latencies[1].profile = 9g.90gb does not exist")]
    [InlineData("source: measured", "source: guessed", "spec.profile.profileRef (ConfigMap vision/resnet50-profile key profile.yaml).source = guessed")]
    [InlineData("source: measured", "sauce: measured", "spec.profile.profileRef: ConfigMap vision/resnet50-profile key profile.yaml:")]
    public void BadTableInTheConfigMap_NamesTheConfigMapAndTheField(string from, string to, string expected)
    {
        var error = Assert.Throws<DocumentException>(() => Read(Service + "\n---\n" + ConfigMap.Replace(from, to)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<MigInfer.Planning.Model.ServiceDemand> Read(string yaml) => ServiceReader.Read(yaml, "svc.yaml", GpuCatalog.Default);
}
