using System.Text.Json.Nodes;
using MigInfer.Chart.Tests.Fixtures;

namespace MigInfer.Chart.Tests;

/// <summary>
/// The alerts the chart ships (alerts/miginfer.rules.yaml) and the dashboard's queries, checked by Prometheus's own
/// parser and rule engine through promtool, and against the metrics the code exports.
/// </summary>
public sealed class AlertRulesTests
{
    private static readonly ExternalTool Promtool = new("promtool", "MIGINFER_PROMTOOL", "install Debian's prometheus package (apt-get install prometheus)");

    private static readonly string RulesFile = RepoPaths.InChart("alerts", "miginfer.rules.yaml");

    private static readonly string UnitTestFile = RepoPaths.InRoot("tests", "MigInfer.Chart.Tests", "Alerts", "miginfer.rules.test.yaml");

    /// <summary>Dashboard variables as Grafana would fill them in, so each query is plain PromQL.</summary>
    private static readonly (string Variable, string Value)[] DashboardVariables =
        [("$__rate_interval", "5m"), ("$__range", "1h"), ("$namespace", ".*"), ("$service", ".*")];

    private static IEnumerable<JsonObject> Alerts =>
        YamlJson.ParseFile(RulesFile)!["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray().Select(r => r!.AsObject()));

    [SkippableFact]
    public void RulesFile_IsValidForPrometheus()
    {
        var run = Promtool.Run(["check", "rules", RulesFile]);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains($"SUCCESS: {Alerts.Count()} rules found", run.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Alerts_FireAndStayQuietAsTheirUnitTestsSay()
    {
        var run = Promtool.Run(["test", "rules", UnitTestFile]);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
    }

    [Fact]
    public void EveryAlert_HasAUnitTestWhereItFires()
    {
        var firing = YamlJson.ParseFile(UnitTestFile)!["tests"]!.AsArray()
            .SelectMany(t => t!["alert_rule_test"]!.AsArray())
            .Where(t => t!["exp_alerts"] is JsonArray { Count: > 0 })
            .Select(t => (string)t!["alertname"]!)
            .ToHashSet(StringComparer.Ordinal);

        Assert.All(Alerts, alert => Assert.Contains((string)alert["alert"]!, firing));
    }

    [Fact]
    public void EveryMetricTheAlertsRead_IsExportedByTheCodeOrByPrometheus()
    {
        var unknown = Alerts
            .SelectMany(a => PromQl.MetricNames((string)a["expr"]!).Select(metric => (Alert: (string)a["alert"]!, Metric: metric)))
            .Where(x => x.Metric != "up" && !MetricCatalog.Bases(x.Metric).Any(MetricCatalog.Defined.Contains))
            .Select(x => $"{x.Alert}: {x.Metric}")
            .ToList();

        Assert.Empty(unknown);
    }

    [SkippableFact]
    public void DashboardQueries_AreValidPromQl()
    {
        var queries = Dashboard.Queries(Dashboard.Load()).ToList();
        var rules = new JsonObject
        {
            ["groups"] = new JsonArray(new JsonObject
            {
                ["name"] = "dashboard",
                ["rules"] = new JsonArray([.. queries.Select((q, i) => (JsonNode)new JsonObject
                {
                    ["record"] = $"dashboard:query_{i}",
                    ["expr"] = DashboardVariables.Aggregate(q.Expr, (expr, v) => expr.Replace(v.Variable, v.Value, StringComparison.Ordinal)),
                })]),
            }),
        };
        var file = Path.Combine(Path.GetTempPath(), $"miginfer-dashboard-{Environment.ProcessId}.rules.json");
        File.WriteAllText(file, rules.ToJsonString());
        try
        {
            var run = Promtool.Run(["check", "rules", file]);

            var legend = string.Join('\n', queries.Select((q, i) => $"query_{i}: {q.Panel}"));
            Assert.True(run.ExitCode == 0, $"{run.Stdout}{run.Stderr}\n{legend}");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
