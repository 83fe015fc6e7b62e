using System.Text.Json;
using System.Text.Json.Nodes;
using MigInfer.Chart.Tests.Fixtures;

namespace MigInfer.Chart.Tests;

public sealed class ValuesSchemaTests
{
    [Fact]
    public void ValuesYaml_ValidatesAgainstValuesSchema()
    {
        var errors = JsonSchemaChecker.Validate(ChartFiles.Schema(), ChartFiles.Values());

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("replicaCount", "0", "$.replicaCount")]
    [InlineData("replicaCount", "\"two\"", "$.replicaCount")]
    [InlineData("bogus", "1", "$.bogus")]
    [InlineData("image.pullPolicy", "\"Sometimes\"", "$.image.pullPolicy")]
    [InlineData("image.digest", "\"latest\"", "$.image.digest")]
    [InlineData("operator.metricsPort", "70000", "$.operator.metricsPort")]
    [InlineData("operator.logLevel", "\"Verbose\"", "$.operator.logLevel")]
    [InlineData("leaderElection.leaseName", "\"Bad_Name\"", "$.leaderElection.leaseName")]
    [InlineData("gpuOperator.namespace", "\"GPU Operator\"", "$.gpuOperator.namespace")]
    [InlineData("migPlan.spec.rho", "1.5", "$.migPlan.spec.rho")]
    [InlineData("migPlan.spec.rollout.maxGpusInFlight", "0", "$.migPlan.spec.rollout.maxGpusInFlight")]
    [InlineData("migPlan.spec.gpuOperator", "{}", "$.migPlan.spec.gpuOperator")]
    [InlineData("metrics.serviceMonitor.interval", "\"30 seconds\"", "$.metrics.serviceMonitor.interval")]
    [InlineData("dashboards.labelValue", "1", "$.dashboards.labelValue")]
    [InlineData("podLabels", "{\"team\":7}", "$.podLabels.team")]
    public void Schema_RejectsABadValue(string path, string json, string expectedPath)
    {
        var values = ChartFiles.Values();
        ChartFiles.Set(values, path, JsonNode.Parse(json));

        var errors = JsonSchemaChecker.Validate(ChartFiles.Schema(), values);

        Assert.Contains(errors, e => e.StartsWith(expectedPath + ":", StringComparison.Ordinal));
    }

    [Fact]
    public void MigPlanSpecValues_HaveTheCrdsKeysTypesAndRanges()
    {
        var crd = YamlJson.ParseFile(RepoPaths.InRoot("crds", "migplans.miginfer.io.yaml"))!;
        var crdSpec = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!.AsObject();
        var valuesSpec = ChartFiles.Schema()["properties"]!["migPlan"]!["properties"]!["spec"]!.AsObject();

        var mismatches = new List<string>();
        Compare(crdSpec, valuesSpec, "spec", mismatches, exempt: "gpuOperator");

        Assert.Empty(mismatches);
    }

    [Fact]
    public void MigPlanSpecDefaults_EqualTheCrdsDefaults()
    {
        var crd = YamlJson.ParseFile(RepoPaths.InRoot("crds", "migplans.miginfer.io.yaml"))!;
        var crdSpec = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!.AsObject();
        var values = ChartFiles.Values()["migPlan"]!["spec"]!.AsObject();

        var mismatches = new List<string>();
        CompareDefaults(crdSpec, values, "spec", mismatches);

        Assert.Empty(mismatches);
    }

    private static void Compare(JsonObject crd, JsonObject values, string path, List<string> mismatches, string? exempt = null)
    {
        var crdProperties = crd["properties"]!.AsObject();
        var valueProperties = values["properties"]!.AsObject();
        foreach (var name in crdProperties.Select(p => p.Key).Union(valueProperties.Select(p => p.Key)).Where(n => n != exempt))
        {
            var here = $"{path}.{name}";
            if (crdProperties[name] is not JsonObject c || valueProperties[name] is not JsonObject v)
            {
                mismatches.Add($"{here}: in {(crdProperties.ContainsKey(name) ? "the CRD" : "values.schema.json")} only");
                continue;
            }

            foreach (var keyword in new[] { "type", "minimum", "maximum" })
            {
                if (c[keyword]?.ToJsonString() != v[keyword]?.ToJsonString())
                {
                    mismatches.Add($"{here}.{keyword}: CRD {c[keyword]?.ToJsonString()} but values.schema.json {v[keyword]?.ToJsonString()}");
                }
            }

            if (c["properties"] is JsonObject)
            {
                Compare(c, v, here, mismatches);
            }
        }
    }

    /// <summary>Numbers by value (10 and 10.0 agree), anything else (booleans) by its JSON.</summary>
    private static bool Same(JsonNode fallback, JsonNode? value) =>
        fallback.GetValueKind() == JsonValueKind.Number && value?.GetValueKind() == JsonValueKind.Number
            ? JsonSerializer.Deserialize<double>(fallback.ToJsonString()) == JsonSerializer.Deserialize<double>(value.ToJsonString())
            : fallback.ToJsonString() == value?.ToJsonString();

    private static void CompareDefaults(JsonObject crd, JsonObject values, string path, List<string> mismatches)
    {
        foreach (var (name, value) in values)
        {
            var property = crd["properties"]![name]!.AsObject();
            if (value is JsonObject nested)
            {
                CompareDefaults(property, nested, $"{path}.{name}", mismatches);
            }
            else if (property["default"] is not { } fallback || !Same(fallback, value))
            {
                mismatches.Add($"{path}.{name}: values.yaml {value?.ToJsonString()} but the CRD's default is {property["default"]?.ToJsonString()}");
            }
        }
    }
}
