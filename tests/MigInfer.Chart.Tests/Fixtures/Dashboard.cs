using System.Text.Json.Nodes;

namespace MigInfer.Chart.Tests.Fixtures;

/// <summary>The Grafana dashboard the chart ships.</summary>
internal static class Dashboard
{
    public static string Path { get; } = RepoPaths.InChart("dashboards", "miginfer.json");

    public static JsonObject Load() => JsonNode.Parse(File.ReadAllText(Path))!.AsObject();

    /// <summary>Every panel, rows' nested panels included.</summary>
    public static IEnumerable<JsonObject> Panels(JsonObject dashboard) =>
        dashboard["panels"]!.AsArray().Select(p => p!.AsObject())
            .SelectMany(p => p["panels"] is JsonArray nested ? [p, .. nested.Select(n => n!.AsObject())] : new[] { p });

    public static IEnumerable<(string Panel, string Expr)> Queries(JsonObject dashboard) =>
        Panels(dashboard)
            .Where(p => p["targets"] is JsonArray)
            .SelectMany(p => p["targets"]!.AsArray().Select(t => ((string)p["title"]!, (string)t!["expr"]!)));
}
