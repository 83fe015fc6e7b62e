using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MigInfer.Chart.Tests.Fixtures;

namespace MigInfer.Chart.Tests;

/// <summary>
/// The columns <c>kubectl get</c> prints come from each CRD's <c>additionalPrinterColumns</c>: a JSONPath into the
/// object that the API server does not check against the schema, so a misspelled field is only an empty column. Each
/// path must name a field of the CRD's schema, of a type the column can show.
/// </summary>
public sealed partial class CrdPrinterColumnsTests
{
    public static TheoryData<string> Crds => ["inferenceservices.miginfer.io.yaml", "migplans.miginfer.io.yaml"];

    [Theory]
    [MemberData(nameof(Crds))]
    public void EveryColumn_ShowsAFieldOfTheSchemaOfItsType(string crd)
    {
        var version = Assert.Single(YamlJson.ParseFile(RepoPaths.InRoot("crds", crd))!["spec"]!["versions"]!.AsArray())!;
        var schema = version["schema"]!["openAPIV3Schema"]!.AsObject();
        var columns = version["additionalPrinterColumns"]!.AsArray();

        var problems = columns.Select(c => Problem((string)c!["name"]!, (string)c["type"]!, (string)c["jsonPath"]!, schema)).OfType<string>().ToList();

        Assert.NotEmpty(columns);
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void AMisspelledField_IsFound()
    {
        var schema = JsonNode.Parse("""{"type": "object", "properties": {"status": {"type": "object", "properties": {"url": {"type": "string"}}}}}""")!.AsObject();

        Assert.Null(Problem("URL", "string", ".status.url", schema));
        Assert.Contains("no field 'uri'", Problem("URL", "string", ".status.uri", schema), StringComparison.Ordinal);
        Assert.Contains("type string", Problem("URL", "integer", ".status.url", schema), StringComparison.Ordinal);
    }

    /// <summary>Why the column cannot show its path, or null. Paths are fields, with list filters such as <c>[?(@.type=="Ready")]</c>.</summary>
    private static string? Problem(string column, string type, string jsonPath, JsonObject schema)
    {
        var steps = PathStep().Matches(jsonPath);
        if (string.Concat(steps.Select(s => s.Value)) != jsonPath)
        {
            return $"column {column} ({jsonPath}): this test reads only .field steps and [?(@.field==\"value\")] filters";
        }

        var node = schema;
        foreach (Match step in steps)
        {
            if (step.Groups["filter"].Success)
            {
                if (node["items"] is not JsonObject items)
                {
                    return $"column {column} ({jsonPath}): a filter on a field that is not a list";
                }

                node = items;
                continue;
            }

            var field = step.Groups["field"].Value;
            if (field == "metadata" && node == schema)
            {
                // Object metadata is the API server's (creationTimestamp, name, ...), not in the CRD's schema.
                return type is "date" or "string" ? null : $"column {column} ({jsonPath}): metadata columns here are dates or strings";
            }

            if (node["properties"]?[field] is not JsonObject child)
            {
                return $"column {column} ({jsonPath}): no field '{field}' in the schema";
            }

            node = child;
        }

        var actual = (string?)node["type"];
        var shows = type switch
        {
            "integer" => actual is "integer",
            "number" => actual is "number" or "integer",
            "boolean" => actual is "boolean",
            "string" or "date" => actual is "string",
            _ => false,
        };
        return shows ? null : $"column {column} ({jsonPath}) is of type {type} but the field is of type {actual}";
    }

    [GeneratedRegex("""\.(?<field>[A-Za-z0-9_]+)|(?<filter>\[\?\(@\.[A-Za-z0-9_]+=="[^"]*"\)\])""")]
    private static partial Regex PathStep();
}
