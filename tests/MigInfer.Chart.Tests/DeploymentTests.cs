using System.Text.Json.Nodes;
using MigInfer.Chart.Tests.Fixtures;

namespace MigInfer.Chart.Tests;

/// <summary>The operator Deployment's ports, probes, leader election and hardening agree with the values, Service and images.</summary>
public sealed class DeploymentTests
{
    private readonly JsonObject _deployment = TemplateText.Skeleton(ChartFiles.Template("deployment.yaml")).Single();

    private JsonObject Container => _deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single()!.AsObject();

    private IEnumerable<JsonNode> Env => Container["env"]!.AsArray().Select(e => e!);

    [Theory]
    [InlineData("health", "TPL .Values.operator.healthPort")]
    [InlineData("metrics", "TPL .Values.operator.metricsPort")]
    public void Container_DeclaresNamedPortFromValues(string name, string containerPort)
    {
        var port = Container["ports"]!.AsArray().Single(p => (string?)p!["name"] == name)!;

        Assert.Equal(containerPort, (string?)port["containerPort"]);
    }

    [Theory]
    [InlineData("livenessProbe", "/healthz")]
    [InlineData("readinessProbe", "/readyz")]
    public void Probe_ChecksTheHealthPort(string probe, string path)
    {
        var httpGet = Container[probe]!["httpGet"]!;

        Assert.Equal("health", (string?)httpGet["port"]);
        Assert.Equal(path, (string?)httpGet["path"]);
    }

    [Fact]
    public void MetricsService_AndServiceMonitor_TargetTheMetricsPort()
    {
        var service = TemplateText.Skeleton(ChartFiles.Template("service.yaml")).Single();
        var monitor = TemplateText.Skeleton(ChartFiles.Template("servicemonitor.yaml")).Single();
        var servicePort = service["spec"]!["ports"]!.AsArray().Single()!;

        Assert.Equal("metrics", (string?)servicePort["name"]);
        Assert.Equal("metrics", (string?)servicePort["targetPort"]);
        Assert.Equal("metrics", (string?)monitor["spec"]!["endpoints"]![0]!["port"]);
        Assert.Equal("/metrics", (string?)monitor["spec"]!["endpoints"]![0]!["path"]);
    }

    [Theory]
    [InlineData("MIGINFER_LEADER_ELECTION", "TPL .Values.leaderElection.enabled | quote")]
    [InlineData("MIGINFER_LEASE_NAME", "TPL .Values.leaderElection.leaseName | quote")]
    [InlineData("MIGINFER_LEASE_NAMESPACE", "TPL .Release.Namespace | quote")]
    [InlineData("MIGINFER_HEALTH_PORT", "TPL .Values.operator.healthPort | quote")]
    [InlineData("MIGINFER_METRICS_PORT", "TPL .Values.operator.metricsPort | quote")]
    [InlineData("MIGINFER_SLICE_PROBE_INTERVAL_SECONDS", "TPL .Values.operator.sliceProbeIntervalSeconds | quote")]
    public void Environment_CarriesTheOperatorSetting(string name, string value)
    {
        Assert.Equal(value, (string?)Env.Single(e => (string?)e["name"] == name)["value"]);
    }

    [Fact]
    public void LeaderIdentity_IsThePodName()
    {
        var podName = Env.Single(e => (string?)e["name"] == "POD_NAME");

        Assert.Equal("metadata.name", (string?)podName["valueFrom"]!["fieldRef"]!["fieldPath"]);
    }

    [Fact]
    public void DefaultSecurity_IsNonRootWithReadOnlyRootAndWritableTmp()
    {
        var values = ChartFiles.Values();
        var container = values["securityContext"]!;
        var pod = values["podSecurityContext"]!;
        var tmp = Container["volumeMounts"]!.AsArray().Single(m => (string?)m!["mountPath"] == "/tmp")!;
        var volume = _deployment["spec"]!["template"]!["spec"]!["volumes"]!.AsArray().Single(v => (string?)v!["name"] == (string?)tmp["name"])!;

        Assert.True((bool)container["readOnlyRootFilesystem"]!);
        Assert.False((bool)container["allowPrivilegeEscalation"]!);
        Assert.Equal("ALL", (string?)container["capabilities"]!["drop"]![0]);
        Assert.True((bool)pod["runAsNonRoot"]!);
        Assert.NotNull(volume["emptyDir"]);
    }

    [Fact]
    public void PodUser_IsTheImagesUser()
    {
        var uid = (int)ChartFiles.Values()["podSecurityContext"]!["runAsUser"]!;

        // The aspnet base image's $APP_UID is 1654; the CUDA image creates the same user.
        Assert.Equal(1654, uid);
        Assert.Contains("USER $APP_UID", File.ReadAllText(RepoPaths.InRoot("operator", "Dockerfile")), StringComparison.Ordinal);
        Assert.Contains($"USER {uid}:{uid}", File.ReadAllText(RepoPaths.InRoot("inference-server", "Dockerfile.cuda")), StringComparison.Ordinal);
    }
}
