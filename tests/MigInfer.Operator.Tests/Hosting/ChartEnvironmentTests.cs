using System.Collections;
using Microsoft.Extensions.Configuration;
using MigInfer.Operator.Hosting;
using MigInfer.Operator.Tests.Fixtures;

namespace MigInfer.Operator.Tests.Hosting;

public sealed class ChartEnvironmentTests
{
    /// <summary>Every variable the chart's deployment.yaml sets for the operator, with a value it may render.</summary>
    private static readonly Hashtable ChartVariables = new()
    {
        ["POD_NAME"] = "miginfer-operator-7d9f-abcde",
        ["POD_NAMESPACE"] = "miginfer-system",
        ["MIGINFER_HEALTH_PORT"] = "8081",
        ["MIGINFER_METRICS_PORT"] = "8080",
        ["MIGINFER_LEADER_ELECTION"] = "false",
        ["MIGINFER_LEASE_NAME"] = "miginfer-operator",
        ["MIGINFER_LEASE_NAMESPACE"] = "ops",
        ["MIGINFER_LEASE_DURATION_SECONDS"] = "15",
        ["MIGINFER_RENEW_DEADLINE_SECONDS"] = "10",
        ["MIGINFER_RETRY_PERIOD_SECONDS"] = "2",
        ["MIGINFER_SLICE_PROBE_INTERVAL_SECONDS"] = "45",
        ["MIGINFER_SERVER_IMAGE"] = "registry.example/server:1.2.3-cuda",
        ["MIGINFER_SERVER_IMAGE_PULL_POLICY"] = "Always",
    };

    [Fact]
    public void ChartVariables_BindToOperatorOptions()
    {
        var options = Bind(ChartVariables);

        Assert.Equal(8081, options.HealthPort);
        Assert.Equal(8080, options.MetricsPort);
        Assert.False(options.LeaderElection);
        Assert.Equal("miginfer-operator", options.LeaseName);
        Assert.Equal("ops", options.LeaseNamespace);
        Assert.Equal("miginfer-operator-7d9f-abcde", options.Identity);
        Assert.Equal(TimeSpan.FromSeconds(15), options.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RenewDeadline);
        Assert.Equal(TimeSpan.FromSeconds(2), options.RetryPeriod);
        Assert.Equal(TimeSpan.FromSeconds(45), options.SliceProbeInterval);
        Assert.Equal("registry.example/server:1.2.3-cuda", options.ServerImage);
        Assert.Equal("Always", options.ServerImagePullPolicy);
    }

    [Fact]
    public void PodNamespace_IsTheLeaseNamespaceWhenTheChartNamesNone()
    {
        var options = Bind(new Hashtable { ["POD_NAMESPACE"] = "miginfer-system" });

        Assert.Equal("miginfer-system", options.LeaseNamespace);
    }

    [Fact]
    public void EveryVariableTheChartSets_IsRead()
    {
        var template = File.ReadAllText(Path.Combine(RepoPaths.Root, "charts", "miginfer", "templates", "deployment.yaml"));
        var names = System.Text.RegularExpressions.Regex.Matches(template, @"- name: (?<name>(MIGINFER|POD)_[A-Z_]+)").Select(m => m.Groups["name"].Value).ToList();

        Assert.NotEmpty(names);
        Assert.All(names, n => Assert.True(ChartVariables.ContainsKey(n), $"{n} is set by the chart but not read by the operator"));
        Assert.Equal(names.Count, ChartEnvironment.Read(ChartVariables).Count + 1);
    }

    private static OperatorOptions Bind(Hashtable environment) =>
        new ConfigurationBuilder().AddInMemoryCollection(ChartEnvironment.Read(environment)).Build()
            .GetSection(OperatorOptions.Section).Get<OperatorOptions>()!;
}
