using MigInfer.Chart.Tests.Fixtures;

namespace MigInfer.Chart.Tests;

/// <summary>The chart carries a byte-identical copy of crds/ (CI fails here when they differ).</summary>
public sealed class CrdCopyTests
{
    private const string Fix = "copy them with: cp crds/*.yaml charts/miginfer/crds/";

    [Fact]
    public void ChartCrds_NameTheSameFilesAsCanonicalCrds()
    {
        var canonical = Names(RepoPaths.InRoot("crds"));
        var copy = Names(RepoPaths.InChart("crds"));

        Assert.NotEmpty(canonical);
        Assert.True(canonical.SequenceEqual(copy), $"crds/ has [{string.Join(", ", canonical)}] but charts/miginfer/crds/ has [{string.Join(", ", copy)}]; {Fix}");
    }

    [Fact]
    public void ChartCrds_AreByteIdenticalToCanonicalCrds()
    {
        var different = Names(RepoPaths.InRoot("crds"))
            .Where(name => !File.Exists(RepoPaths.InChart("crds", name))
                || !File.ReadAllBytes(RepoPaths.InRoot("crds", name)).AsSpan().SequenceEqual(File.ReadAllBytes(RepoPaths.InChart("crds", name))))
            .ToList();

        Assert.True(different.Count == 0, $"charts/miginfer/crds/ differs from crds/ in [{string.Join(", ", different)}]; {Fix}");
    }

    [Theory]
    [InlineData("inferenceservices.miginfer.io.yaml", "InferenceService", "Namespaced")]
    [InlineData("migplans.miginfer.io.yaml", "MigPlan", "Cluster")]
    public void ChartCrds_DefineTheKindsTheChartUses(string file, string kind, string scope)
    {
        var crd = YamlJson.ParseFile(RepoPaths.InChart("crds", file))!;

        Assert.Equal("CustomResourceDefinition", (string?)crd["kind"]);
        Assert.Equal(kind, (string?)crd["spec"]!["names"]!["kind"]);
        Assert.Equal(scope, (string?)crd["spec"]!["scope"]);
        Assert.Equal("miginfer.io", (string?)crd["spec"]!["group"]);
    }

    private static List<string> Names(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToList()
            : [];
}
