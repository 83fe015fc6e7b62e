using System.Text.Json.Nodes;
using MigInfer.Chart.Tests.Fixtures;

namespace MigInfer.Chart.Tests;

/// <summary>
/// The chart as a real Helm renders it for <c>helm install</c>: every switch of the values, the objects' names,
/// namespaces, selectors and bindings agreeing with each other, and bad values refused with the value named.
/// Skipped where no Helm is installed (see <see cref="Helm"/>); CI installs the pinned one and requires it.
/// </summary>
public sealed class HelmRenderTests
{
    private const string FullName = $"{Helm.Release}-miginfer";

    private static readonly string[] DefaultKinds =
    [
        "ClusterRole", "ClusterRoleBinding", "ConfigMap", "CustomResourceDefinition", "CustomResourceDefinition",
        "Deployment", "MigPlan", "Role", "Role", "RoleBinding", "RoleBinding", "Service", "ServiceAccount",
    ];

    private static readonly HashSet<string> ClusterScoped = ["ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "MigPlan"];

    [SkippableFact]
    public void Lint_PassesStrict()
    {
        var run = Helm.Run("lint", "--strict", RepoPaths.Chart);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
    }

    [SkippableFact]
    public void DefaultValues_RenderTheOperatorItsPermissionsItsPlanAndTheCrds()
    {
        var objects = Helm.Template();

        Assert.Equal(DefaultKinds, Kinds(objects));
        Assert.All(objects.Where(o => (string?)o["kind"] != "CustomResourceDefinition"), o =>
        {
            Assert.Equal(Helm.Release, (string?)o["metadata"]!["labels"]!["app.kubernetes.io/instance"]);
            Assert.Equal("Helm", (string?)o["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]);
        });
    }

    [SkippableFact]
    public void NamespacedObjects_AreInTheReleaseNamespace_ButTheMigConfigGrantIsInTheGpuOperators()
    {
        var objects = Helm.Template("gpuOperator.namespace=nvidia-gpu");

        Assert.All(objects, o =>
        {
            var kind = (string)o["kind"]!;
            var name = (string)o["metadata"]!["name"]!;
            var expected = ClusterScoped.Contains(kind) ? null : name.EndsWith("-mig-config", StringComparison.Ordinal) ? "nvidia-gpu" : Helm.Namespace;
            Assert.True(expected == (string?)o["metadata"]!["namespace"], $"{kind} {name} is in namespace '{o["metadata"]!["namespace"]}', expected '{expected}'");
        });
    }

    [SkippableFact]
    public void Selectors_SelectTheOperatorPods()
    {
        var objects = Helm.Template("metrics.serviceMonitor.enabled=true");
        var deployment = Single(objects, "Deployment");
        var podLabels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        var selector = deployment["spec"]!["selector"]!["matchLabels"]!.AsObject();
        var service = Single(objects, "Service");
        var monitor = Single(objects, "ServiceMonitor");
        var antiAffinity = PodSpec(deployment)["affinity"]!["podAntiAffinity"]!["preferredDuringSchedulingIgnoredDuringExecution"]![0]!["podAffinityTerm"]!["labelSelector"]!["matchLabels"]!;
        var containerPorts = Container(deployment)["ports"]!.AsArray().Select(p => (string?)p!["name"]).ToList();

        Assert.NotEmpty(selector);
        AssertSubset(selector, podLabels, "the Deployment's selector");
        AssertSubset(service["spec"]!["selector"]!.AsObject(), podLabels, "the metrics Service's selector");
        Assert.True(JsonNode.DeepEquals(selector, antiAffinity), "the anti-affinity spreads other pods than the Deployment's");
        Assert.Contains((string?)service["spec"]!["ports"]![0]!["targetPort"], containerPorts);
        AssertSubset(monitor["spec"]!["selector"]!["matchLabels"]!.AsObject(), service["metadata"]!["labels"]!.AsObject(), "the ServiceMonitor's selector");
        Assert.Equal((string?)service["spec"]!["ports"]![0]!["name"], (string?)monitor["spec"]!["endpoints"]![0]!["port"]);
        Assert.Equal([Helm.Namespace], monitor["spec"]!["namespaceSelector"]!["matchNames"]!.AsArray().Select(n => (string?)n));
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void Bindings_GrantTheRenderedRolesToTheOperatorsServiceAccount(bool createServiceAccount)
    {
        var objects = createServiceAccount
            ? Helm.Template()
            : Helm.Template("serviceAccount.create=false", "serviceAccount.name=gpu-ops");
        var account = (string)PodSpec(Single(objects, "Deployment"))["serviceAccountName"]!;
        var bindings = objects.Where(o => (string?)o["kind"] is "ClusterRoleBinding" or "RoleBinding").ToList();

        Assert.Equal(createServiceAccount ? FullName : "gpu-ops", account);
        Assert.Equal(createServiceAccount ? [account] : [], objects.Where(o => (string?)o["kind"] == "ServiceAccount").Select(o => (string?)o["metadata"]!["name"]));
        Assert.Equal(3, bindings.Count);
        Assert.All(bindings, binding =>
        {
            var roleKind = (string)binding["roleRef"]!["kind"]!;
            var role = objects.SingleOrDefault(o => (string?)o["kind"] == roleKind && (string?)o["metadata"]!["name"] == (string?)binding["roleRef"]!["name"]);
            Assert.NotNull(role);
            Assert.Equal((string?)role["metadata"]!["namespace"], (string?)binding["metadata"]!["namespace"]);
            var subject = binding["subjects"]!.AsArray().Single()!;
            Assert.Equal("ServiceAccount", (string?)subject["kind"]);
            Assert.Equal(account, (string?)subject["name"]);
            Assert.Equal(Helm.Namespace, (string?)subject["namespace"]);
        });
    }

    [SkippableTheory]
    [InlineData("", ":{appVersion}")]
    [InlineData("image.tag=1.2.3", ":1.2.3")]
    [InlineData("image.digest=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void OperatorImage_IsTheChartsVersionATagOrADigest(string setting, string reference)
    {
        var deployment = Single(Helm.Template(setting.Length == 0 ? [] : [setting]), "Deployment");

        Assert.Equal("ghcr.io/miginfer/miginfer-operator" + reference.Replace("{appVersion}", AppVersion, StringComparison.Ordinal), (string?)Container(deployment)["image"]);
    }

    [SkippableTheory]
    [InlineData("", "ghcr.io/miginfer/miginfer-inference-server:{appVersion}-cuda")]
    [InlineData("inferenceServer.image.tag=1.2.3-cuda", "ghcr.io/miginfer/miginfer-inference-server:1.2.3-cuda")]
    public void SlicePodImage_IsTheCudaBuildOfTheChartsVersion(string setting, string image)
    {
        var deployment = Single(Helm.Template(setting.Length == 0 ? [] : [setting]), "Deployment");
        var env = Container(deployment)["env"]!.AsArray().Single(e => (string?)e!["name"] == "MIGINFER_SERVER_IMAGE")!;

        Assert.Equal(image.Replace("{appVersion}", AppVersion, StringComparison.Ordinal), (string?)env["value"]);
    }

    [SkippableFact]
    public void MigPlanSpec_IsTheValuesWithTheirTypesAndTheGpuOperatorSettings()
    {
        var plan = Single(Helm.Template(), "MigPlan");
        var expected = ChartFiles.Values()["migPlan"]!["spec"]!.DeepClone().AsObject();
        expected["gpuOperator"] = new JsonObject { ["namespace"] = "gpu-operator", ["configMapName"] = "miginfer-mig-parted-config" };

        Assert.Equal("default", (string?)plan["metadata"]!["name"]);
        Assert.True(JsonNode.DeepEquals(expected, plan["spec"]), $"rendered {plan["spec"]!.ToJsonString()}, expected {expected.ToJsonString()}");
    }

    [SkippableTheory]
    [InlineData("migPlan.spec.rollout.disruptionBudgets=false", "rollout.disruptionBudgets", "false")]
    [InlineData("migPlan.spec.planner.useObservedProfile=true", "planner.useObservedProfile", "true")]
    [InlineData("migPlan.spec.rollout.maxGpusInFlight=2", "rollout.maxGpusInFlight", "2")]
    [InlineData("migPlan.spec.rho:=0.7", "rho", "0.7")]
    [InlineData("migPlan.spec.beta:=0.25", "beta", "0.25")]
    public void MigPlanSpec_CarriesASetValueWithItsType(string setting, string path, string json)
    {
        var spec = Single(Helm.Template(setting), "MigPlan")["spec"]!;

        Assert.Equal(json, path.Split('.').Aggregate(spec, (node, key) => node[key]!).ToJsonString());
    }

    [SkippableTheory]
    [InlineData("migPlan.spec.rho:=1.5", "migPlan.spec.rho")]
    [InlineData("migPlan.spec.rho=0.7", "migPlan.spec.rho")] // --set keeps 0.7 a string; docs/install.md says to use --set-json
    [InlineData("replicaCount=0", "replicaCount")]
    [InlineData("bogus=1", "bogus")]
    [InlineData("operator.logLevel=Verbose", "operator.logLevel")]
    [InlineData("image.digest=latest", "image.digest")]
    [InlineData("gpuOperator.namespace=GPU_Operator", "gpuOperator.namespace")]
    public void ValueOutsideTheSchema_FailsTheInstallNamingIt(string setting, string path)
    {
        var run = Helm.TemplateFailing(setting);

        // Helm 4 names the value as a JSON pointer (/migPlan/spec/rho), Helm 3 as a dotted path.
        Assert.NotEqual(0, run.ExitCode);
        Assert.True(run.Stderr.Contains(path, StringComparison.Ordinal) || run.Stderr.Contains("/" + path.Replace('.', '/'), StringComparison.Ordinal), run.Stderr);
    }

    [SkippableTheory]
    [InlineData(new[] { "replicaCount=2", "leaderElection.enabled=false" }, "replicaCount > 1 needs leaderElection.enabled")]
    [InlineData(new[] { "metrics.serviceMonitor.enabled=true", "metrics.service.enabled=false" }, "metrics.serviceMonitor.enabled needs metrics.service.enabled")]
    [InlineData(new[] { "metrics.prometheusRule.enabled=true", "metrics.serviceMonitor.enabled=true" }, "metrics.prometheusRule.enabled needs metrics.serviceMonitor.enabled and metrics.podMonitor.enabled")]
    public void ContradictorySettings_FailTheInstallSayingWhy(string[] settings, string message)
    {
        var run = Helm.TemplateFailing(settings);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void OneReplicaWithoutLeaderElection_RunsWithoutTheLeaseGrant()
    {
        var objects = Helm.Template("replicaCount=1", "leaderElection.enabled=false");
        var env = Container(Single(objects, "Deployment"))["env"]!.AsArray();

        Assert.Equal("false", (string?)env.Single(e => (string?)e!["name"] == "MIGINFER_LEADER_ELECTION")!["value"]);
        Assert.DoesNotContain(objects, o => ((string?)o["metadata"]!["name"])!.EndsWith("-leader-election", StringComparison.Ordinal));
    }

    [SkippableTheory]
    [InlineData("rbac.create=false", "", "ClusterRole ClusterRoleBinding Role Role RoleBinding RoleBinding")]
    [InlineData("migPlan.create=false", "", "MigPlan")]
    [InlineData("dashboards.enabled=false", "", "ConfigMap")]
    [InlineData("metrics.service.enabled=false", "", "Service")]
    [InlineData("metrics.serviceMonitor.enabled=true", "ServiceMonitor", "")]
    [InlineData("metrics.podMonitor.enabled=true", "PodMonitor", "")]
    [InlineData("metrics.serviceMonitor.enabled=true metrics.podMonitor.enabled=true metrics.prometheusRule.enabled=true", "ServiceMonitor PodMonitor PrometheusRule", "")]
    public void Switches_AddOrRemoveExactlyTheirObjects(string settings, string added, string removed)
    {
        var expected = DefaultKinds.Concat(Words(added)).ToList();
        foreach (var kind in Words(removed))
        {
            expected.Remove(kind);
        }

        Assert.Equal(expected.Order(StringComparer.Ordinal), Kinds(Helm.Template(Words(settings))));
    }

    [SkippableFact]
    public void PodMonitor_SelectsSlicePodsInEveryNamespaceAndCopiesTheirLabels()
    {
        var monitor = Single(Helm.Template("metrics.podMonitor.enabled=true"), "PodMonitor");
        var values = ChartFiles.Values()["metrics"]!["podMonitor"]!;

        Assert.True((bool)monitor["spec"]!["namespaceSelector"]!["any"]!);
        Assert.True(JsonNode.DeepEquals(values["selector"], monitor["spec"]!["selector"]!["matchLabels"]));
        Assert.True(JsonNode.DeepEquals(values["podTargetLabels"], monitor["spec"]!["podTargetLabels"]));
        Assert.Equal((string?)values["portName"], (string?)monitor["spec"]!["podMetricsEndpoints"]![0]!["port"]);
    }

    [SkippableFact]
    public void PrometheusRule_CarriesTheAlertsAsPrometheusReadsThem_AndTheServiceMonitorGivesTheJobTheyExpect()
    {
        var objects = Helm.Template("metrics.serviceMonitor.enabled=true", "metrics.podMonitor.enabled=true", "metrics.prometheusRule.enabled=true", "metrics.prometheusRule.labels.release=prometheus");
        var rule = Single(objects, "PrometheusRule");
        var relabel = Single(objects, "ServiceMonitor")["spec"]!["endpoints"]![0]!["relabelings"]!.AsArray().Single(r => (string?)r!["targetLabel"] == "job")!;
        var rulesFile = YamlJson.ParseFile(RepoPaths.InChart("alerts", "miginfer.rules.yaml"));
        var operatorDown = rulesFile!["groups"]![0]!["rules"]!.AsArray().Single(r => (string?)r!["alert"] == "MigInferOperatorDown")!;

        Assert.Equal("prometheus", (string?)rule["metadata"]!["labels"]!["release"]);
        Assert.True(JsonNode.DeepEquals(rulesFile, rule["spec"]), "the PrometheusRule's spec differs from alerts/miginfer.rules.yaml");
        Assert.Contains("{{ $labels.namespace }}", rule.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains($"up{{job=\"{(string?)relabel["replacement"]}\"}}", (string)operatorDown["expr"]!, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void DashboardConfigMap_CarriesTheDashboardForTheGrafanaSidecar()
    {
        var map = Single(Helm.Template("dashboards.namespace=monitoring", "dashboards.annotations.grafana_folder=MigInfer"), "ConfigMap");
        var file = JsonNode.Parse(File.ReadAllText(RepoPaths.InChart("dashboards", "miginfer.json")));

        Assert.Equal("monitoring", (string?)map["metadata"]!["namespace"]);
        Assert.Equal("1", (string?)map["metadata"]!["labels"]!["grafana_dashboard"]);
        Assert.Equal("MigInfer", (string?)map["metadata"]!["annotations"]!["grafana_folder"]);
        Assert.True(JsonNode.DeepEquals(file, JsonNode.Parse((string)map["data"]!["miginfer.json"]!)), "the ConfigMap's dashboard differs from dashboards/miginfer.json");
    }

    [SkippableFact]
    public void FullnameOverride_NamesTheReleasesObjects()
    {
        var objects = Helm.Template("fullnameOverride=gpu-planner");
        var named = objects.Where(o => (string?)o["kind"] is not ("CustomResourceDefinition" or "MigPlan")).Select(o => (string)o["metadata"]!["name"]!).ToList();

        Assert.All(named, name => Assert.StartsWith("gpu-planner", name, StringComparison.Ordinal));
        Assert.Equal("gpu-planner", (string?)Single(objects, "Deployment")["metadata"]!["name"]);
    }

    [SkippableFact]
    public void Notes_SayHowToCheckTheOperatorAndWhereTheDashboardIs()
    {
        var notes = Helm.Notes();

        Assert.Contains($"kubectl -n {Helm.Namespace} get deploy {FullName}", notes, StringComparison.Ordinal);
        Assert.Contains($"kubectl -n {Helm.Namespace} get lease miginfer-operator", notes, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"miginfer-mig-parted-config\"", notes, StringComparison.Ordinal);
        Assert.Contains($"\n\nThe Grafana dashboard \"MigInfer\" is in ConfigMap {Helm.Namespace}/{FullName}-dashboard", notes, StringComparison.Ordinal);
    }

    private static string AppVersion => (string)YamlJson.ParseFile(RepoPaths.InChart("Chart.yaml"))!["appVersion"]!;

    private static List<string> Kinds(IEnumerable<JsonObject> objects) =>
        objects.Select(o => (string)o["kind"]!).Order(StringComparer.Ordinal).ToList();

    private static JsonObject Single(IEnumerable<JsonObject> objects, string kind) =>
        objects.Single(o => (string?)o["kind"] == kind);

    private static JsonObject PodSpec(JsonObject deployment) => deployment["spec"]!["template"]!["spec"]!.AsObject();

    private static JsonObject Container(JsonObject deployment) => PodSpec(deployment)["containers"]!.AsArray().Single()!.AsObject();

    private static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static void AssertSubset(JsonObject labels, JsonObject of, string what)
    {
        var missing = labels.Where(kv => (string?)of[kv.Key] != (string?)kv.Value).Select(kv => $"{kv.Key}={kv.Value}").ToList();
        Assert.True(missing.Count == 0, $"{what} asks for [{string.Join(", ", missing)}], which the pods do not carry");
    }
}
