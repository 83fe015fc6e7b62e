using MigInfer.Cli.Local;
using YamlDotNet.RepresentationModel;

namespace MigInfer.Cli.Tests.Local;

public sealed class PrometheusConfigTests
{
    private static readonly LocalState State = new(4242, "/work/examples/quickstart", DateTimeOffset.UnixEpoch,
    [
        new LocalService("vision/resnet50", "resnet50", 50, 32,
        [
            new LocalSlice("3g.20gb", "gpu-node-1", 0, 4, "127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:9003", 1),
            new LocalSlice("1g.5gb", "gpu-node-1", 1, 6, "127.0.0.1:4", "127.0.0.1:5", "127.0.0.1:9006", 2),
        ]),
        new LocalService("bert", "bert", 100, 8, [new LocalSlice("2g.10gb", "gpu-node-2", 3, 0, "127.0.0.1:7", "127.0.0.1:8", "127.0.0.1:9009", 3)]),
    ]);

    [Fact]
    public void EverySlice_IsATargetWithThePodMonitorsLabels()
    {
        var root = Parse(PrometheusConfig.Render(State, "/repo/charts/miginfer/alerts/miginfer.rules.yaml"));

        var job = (YamlMappingNode)((YamlSequenceNode)root["scrape_configs"])[0];
        var targets = ((YamlSequenceNode)job["static_configs"]).Cast<YamlMappingNode>().ToList();
        Assert.Equal("miginfer-slices", job["job_name"].ToString());
        Assert.Equal(["127.0.0.1:9003", "127.0.0.1:9006", "127.0.0.1:9009"], targets.Select(t => ((YamlSequenceNode)t["targets"])[0].ToString()));
        var first = (YamlMappingNode)targets[0]["labels"];
        Assert.Equal(
            [("namespace", "vision"), ("pod", "resnet50-3g.20gb-gpu-node-1-0-4"), ("miginfer_io_service", "resnet50"), ("miginfer_io_profile", "3g.20gb"), ("miginfer_io_node", "gpu-node-1"), ("miginfer_io_gpu", "0")],
            first.Children.Select(c => (c.Key.ToString(), c.Value.ToString())));
        Assert.Equal("default", ((YamlMappingNode)targets[2]["labels"])["namespace"].ToString());
        Assert.Equal("/repo/charts/miginfer/alerts/miginfer.rules.yaml", ((YamlSequenceNode)root["rule_files"])[0].ToString());
    }

    [Fact]
    public void WithoutTheChartsRules_HasNoRuleFiles()
    {
        var root = Parse(PrometheusConfig.Render(State, null));

        Assert.False(root.Children.ContainsKey(new YamlScalarNode("rule_files")));
    }

    [Fact]
    public void RulesFile_IsFoundAboveTheFolderOrTheProgram()
    {
        var none = Directory.CreateTempSubdirectory("miginfer-norepo-").FullName;
        try
        {
            var found = PrometheusConfig.FindRules(none, AppContext.BaseDirectory);

            Assert.NotNull(found);
            Assert.EndsWith(Path.Combine("charts", "miginfer", "alerts", "miginfer.rules.yaml"), found, StringComparison.Ordinal);
            Assert.Null(PrometheusConfig.FindRules(none));
        }
        finally
        {
            Directory.Delete(none);
        }
    }

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
