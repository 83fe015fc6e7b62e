using System.Text.Json.Nodes;
using MigInfer.Chart.Tests.Fixtures;

namespace MigInfer.Chart.Tests;

public sealed class TemplateValuesTests
{
    [Fact]
    public void EveryValuesReferenceInTemplates_ExistsInValuesYaml()
    {
        var values = ChartFiles.Values();

        var missing = TemplateText.TemplateFiles()
            .SelectMany(file => TemplateText.ValueReferences(File.ReadAllText(file)).Select(path => (File: Path.GetFileName(file), Path: path)))
            .Where(r => !TemplateText.Exists(values, r.Path))
            .Select(r => $"{r.File}: .Values.{r.Path}")
            .Distinct()
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void EveryValue_IsUsedByATemplate()
    {
        var references = TemplateText.TemplateFiles()
            .SelectMany(file => TemplateText.ValueReferences(File.ReadAllText(file)))
            .ToHashSet(StringComparer.Ordinal);

        var unused = Leaves(ChartFiles.Values(), ChartFiles.Schema(), "")
            .Where(path => !references.Any(r => path == r || path.StartsWith(r + ".", StringComparison.Ordinal)))
            .ToList();

        Assert.Empty(unused);
    }

    [Theory]
    [InlineData("{{ .Values.image.repository }}", "image.repository")]
    [InlineData("{{- toYaml $.Values.migPlan.spec | nindent 2 }}", "migPlan.spec")]
    [InlineData("{{- if and .Values.a .Values.b_c }}", "a|b_c")]
    [InlineData("{{ .Chart.Values }} {{ $x.Values.y }}", "")]
    public void ValueReferences_FindsDottedPaths(string template, string expected)
    {
        var found = string.Join('|', TemplateText.ValueReferences(template));

        Assert.Equal(expected, found);
    }

    /// <summary>Paths of the values a user sets: free-form maps (no declared properties) count as one value.</summary>
    private static IEnumerable<string> Leaves(JsonNode? value, JsonNode? schema, string path)
    {
        if (value is JsonObject map && schema?["properties"] is JsonObject properties)
        {
            return map.SelectMany(kv => Leaves(kv.Value, properties[kv.Key], path.Length == 0 ? kv.Key : $"{path}.{kv.Key}"));
        }

        return [path];
    }
}
