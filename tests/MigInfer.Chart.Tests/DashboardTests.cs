using System.Text.Json.Nodes;
using MigInfer.Chart.Tests.Fixtures;

namespace MigInfer.Chart.Tests;

public sealed class DashboardTests
{
    private readonly JsonObject _dashboard = Dashboard.Load();

    [Theory]
    [InlineData("Request rate per service")]
    [InlineData("Latency p50 / p99 vs SLO")]
    [InlineData("SLO attainment per service")]
    [InlineData("Queue depth")]
    [InlineData("Batch size")]
    [InlineData("Observed execution latency per batch")]
    [InlineData("Failed and shed requests")]
    [InlineData("Slice busy fraction per profile (DCGM)")]
    [InlineData("Slice busy fraction per service and profile (DCGM)")]
    [InlineData("Planner solve time")]
    [InlineData("Planner gap")]
    [InlineData("GPUs used vs total")]
    [InlineData("Rollout state")]
    public void Dashboard_HasPanelWithQueries(string title)
    {
        var panel = Dashboard.Panels(_dashboard).SingleOrDefault(p => (string?)p["title"] == title && (string?)p["type"] != "row");

        Assert.True(panel is not null, $"no panel titled '{title}'");
        Assert.NotEmpty(panel["targets"]!.AsArray());
    }

    [Fact]
    public void EveryMetricInPromQl_IsExportedByTheCodeOrByDcgm()
    {
        var queries = Dashboard.Queries(_dashboard).ToList();
        var unknown = queries
            .SelectMany(q => PromQl.MetricNames(q.Expr).Select(m => (q.Panel, Metric: m)))
            .Where(x => !MetricCatalog.Bases(x.Metric).Any(b => MetricCatalog.Defined.Contains(b) || MetricCatalog.External.Contains(b)))
            .Select(x => $"{x.Panel}: {x.Metric}")
            .Distinct()
            .ToList();

        Assert.NotEmpty(queries);
        Assert.Empty(unknown);
    }

    [Fact]
    public void ServicePanels_UseOnlyMetricsTheServerExports()
    {
        var serverSeries = Dashboard.Queries(_dashboard)
            .SelectMany(q => PromQl.MetricNames(q.Expr))
            .Where(m => m.StartsWith("nv_inference_", StringComparison.Ordinal) || m.StartsWith("miginfer_request", StringComparison.Ordinal)
                || m.StartsWith("miginfer_queue", StringComparison.Ordinal) || m.StartsWith("miginfer_batch", StringComparison.Ordinal)
                || m.StartsWith("miginfer_execution", StringComparison.Ordinal))
            .Distinct()
            .ToList();

        Assert.NotEmpty(serverSeries);
        Assert.All(serverSeries, m => Assert.Contains(MetricCatalog.Bases(m), MetricCatalog.Defined.Contains));
    }

    [Fact]
    public void OperatorPanels_UseOnlyMetricsTheOperatorExportsByConvention()
    {
        var operatorSeries = Dashboard.Queries(_dashboard).SelectMany(q => PromQl.MetricNames(q.Expr))
            .Where(m => m.StartsWith("miginfer_plan_", StringComparison.Ordinal) || m.StartsWith("miginfer_rollout_", StringComparison.Ordinal) || m.StartsWith("miginfer_operator_", StringComparison.Ordinal))
            .Distinct()
            .ToList();

        Assert.NotEmpty(operatorSeries);
        Assert.All(operatorSeries, m => Assert.Contains(MetricCatalog.Bases(m), MetricCatalog.Defined.Contains));
    }

    [Fact]
    public void BusyFractionPanel_JoinsDcgmWithTheServerByProfile()
    {
        var expr = Dashboard.Queries(_dashboard).Single(q => q.Panel == "Slice busy fraction per service and profile (DCGM)").Expr;

        Assert.Contains("DCGM_FI_PROF_GR_ENGINE_ACTIVE", PromQl.MetricNames(expr));
        Assert.Contains("miginfer_execution_provider_info", PromQl.MetricNames(expr));
        Assert.Contains("GPU_I_PROFILE", expr, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryQuery_UsesTheDatasourceVariable()
    {
        var variables = _dashboard["templating"]!["list"]!.AsArray().Select(v => (string?)v!["name"]).ToList();
        var fixedSources = Dashboard.Panels(_dashboard)
            .Where(p => p["targets"] is JsonArray)
            .SelectMany(p => p["targets"]!.AsArray().Append(p).Select(t => (Panel: (string?)p["title"], Uid: (string?)t!["datasource"]?["uid"])))
            .Where(x => x.Uid != "${datasource}")
            .ToList();

        Assert.Contains("datasource", variables);
        Assert.Empty(fixedSources);
    }

    [Fact]
    public void Panels_HaveUniqueIdsAndFitTheGridWithoutOverlap()
    {
        var panels = Dashboard.Panels(_dashboard).ToList();
        var boxes = panels.Select(p => p["gridPos"]!).Select(g => (X: (int)g["x"]!, Y: (int)g["y"]!, W: (int)g["w"]!, H: (int)g["h"]!)).ToList();

        Assert.Equal(panels.Count, panels.Select(p => (int)p["id"]!).Distinct().Count());
        Assert.All(boxes, b => Assert.InRange(b.X + b.W, 1, 24));
        for (var i = 0; i < boxes.Count; i++)
        {
            for (var j = i + 1; j < boxes.Count; j++)
            {
                var (a, b) = (boxes[i], boxes[j]);
                var overlap = a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
                Assert.False(overlap, $"panels '{panels[i]["title"]}' and '{panels[j]["title"]}' overlap");
            }
        }
    }

    [Theory]
    [InlineData("SLO attainment (all selected services)")]
    [InlineData("SLO attainment per service")]
    public void AttainmentPanels_DivideMetRequestsByEveryJudgedRequest(string title)
    {
        var expr = Dashboard.Queries(_dashboard).First(q => q.Panel == title).Expr;
        var division = expr.IndexOf(" / ", StringComparison.Ordinal);

        Assert.True(division > 0, expr);
        Assert.Contains("miginfer_slo_requests_total{", expr[..division], StringComparison.Ordinal);
        Assert.Contains("outcome=\"met\"", expr[..division], StringComparison.Ordinal);
        Assert.Contains("miginfer_slo_requests_total{", expr[division..], StringComparison.Ordinal);
        Assert.DoesNotContain("outcome", expr[division..], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Request rate per service")]
    [InlineData("Failed and shed requests")]
    public void ServiceRequestPanels_CountClientRequestsOnce(string title)
    {
        // Triton's request counters count a forwarded request at the slice the client called and at the one that ran it.
        var queries = Dashboard.Queries(_dashboard).Where(q => q.Panel == title).Select(q => q.Expr).ToList();

        Assert.NotEmpty(queries);
        Assert.All(queries, q => Assert.Equal(["miginfer_slo_requests_total"], PromQl.MetricNames(q)));
    }

    [Theory]
    [InlineData("SLO attainment per service", "miginfer_slo_objective_ratio")]
    [InlineData("Latency p50 / p99 vs SLO", "miginfer_slo_latency_seconds")]
    public void SloPanels_DrawEachServicesOwnTarget(string title, string target)
    {
        var queries = Dashboard.Queries(_dashboard).Where(q => q.Panel == title).Select(q => q.Expr).ToList();

        Assert.Contains(queries, q => PromQl.MetricNames(q).Contains(target) && q.Contains("by (namespace, model)", StringComparison.Ordinal));
    }

    [Fact]
    public void DashboardConfigMap_CarriesTheFileAndTheSidecarLabel()
    {
        var template = ChartFiles.Template("dashboard-configmap.yaml");
        var values = ChartFiles.Values()["dashboards"]!;

        Assert.Contains(".Files.Get \"dashboards/miginfer.json\"", template, StringComparison.Ordinal);
        Assert.Contains("{{ .Values.dashboards.label }}: {{ .Values.dashboards.labelValue | quote }}", template, StringComparison.Ordinal);
        Assert.Equal("grafana_dashboard", (string?)values["label"]);
        Assert.Equal("1", (string?)values["labelValue"]);
    }

    [Theory]
    [InlineData("sum by (namespace, model) (rate(nv_inference_request_success{model=~\"$service\"}[$__rate_interval]))", "nv_inference_request_success")]
    [InlineData("histogram_quantile(0.99, sum by (le) (rate(a_seconds_bucket[5m]))) / 1e6", "a_seconds_bucket")]
    [InlineData("a * on (namespace, pod) group_left (model) max by (pod) (b{x=\"y\"})", "a|b")]
    [InlineData("label_replace(c, \"pod\", \"$1\", \"exported_pod\", \"(.+)\") and vector($slo)", "c")]
    public void PromQl_FindsTheMetricNames(string expression, string expected)
    {
        var names = string.Join('|', PromQl.MetricNames(expression).Order(StringComparer.Ordinal));

        Assert.Equal(expected, names);
    }
}
