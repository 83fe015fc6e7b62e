using System.Text.Json.Nodes;

namespace MigInfer.Chart.Tests.Fixtures;

/// <summary>The chart's values, schema and templates, read fresh for each test so mutations stay local.</summary>
internal static class ChartFiles
{
    public static JsonObject Values() => YamlJson.ParseFile(RepoPaths.InChart("values.yaml"))!.AsObject();

    public static JsonObject Schema() => JsonNode.Parse(File.ReadAllText(RepoPaths.InChart("values.schema.json")))!.AsObject();

    public static string Template(string name) => File.ReadAllText(RepoPaths.InChart("templates", name));

    /// <summary>Sets (or adds) the value at a dotted path; parents must exist.</summary>
    public static void Set(JsonObject root, string dottedPath, JsonNode? value)
    {
        var segments = dottedPath.Split('.');
        var parent = segments[..^1].Aggregate(root, (node, segment) => node[segment]!.AsObject());
        parent[segments[^1]] = value;
    }
}
