using System.Reflection;
using k8s;
using k8s.Models;
using MigInfer.Chart.Tests.Fixtures;

namespace MigInfer.Chart.Tests;

/// <summary>
/// Every object of a kind Kubernetes itself serves, as the chart renders it and as crds/ and examples/ hold it, is read
/// by the official client's models in strict mode, which refuses a field the type does not have: what
/// <c>kubectl apply --validate=strict</c> and the API server's strict field validation refuse, and what a lenient one
/// silently drops. The chart is rendered with every switch on and every optional value filled, so that fields coming
/// from values are checked where the templates put them. Other operators' kinds (ServiceMonitor, PodMonitor,
/// PrometheusRule) and MigInfer's own (MigPlan, InferenceService) have no client model and are checked by
/// <see cref="HelmRenderTests"/> and the operator's tests.
/// </summary>
public sealed class KubernetesFieldsTests
{
    private static readonly string[] EverythingOn =
    [
        "metrics.serviceMonitor.enabled=true", "metrics.podMonitor.enabled=true", "metrics.prometheusRule.enabled=true",
        "image.digest=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        """imagePullSecrets:=[{"name":"regcred"}]""",
        """operator.extraEnv:=[{"name":"DOTNET_gcServer","value":"1"},{"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}}]""",
        "serviceAccount.annotations.example\\.com/role=operator",
        "podAnnotations.example\\.com/team=ml", "podLabels.team=ml",
        """nodeSelector:={"kubernetes.io/os":"linux"}""",
        """tolerations:=[{"key":"dedicated","operator":"Equal","value":"ml","effect":"NoSchedule"}]""",
        """affinity:={"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"kubernetes.io/arch","operator":"In","values":["amd64"]}]}]}}}""",
        "priorityClassName=system-cluster-critical",
        "dashboards.namespace=monitoring",
    ];

    /// <summary>apiVersion/kind of every type the client has a model for, e.g. <c>apps/v1/Deployment</c>.</summary>
    private static readonly HashSet<string> ClientKinds =
    [
        .. typeof(V1Pod).Assembly.GetTypes()
            .Select(t => t.GetCustomAttribute<KubernetesEntityAttribute>())
            .OfType<KubernetesEntityAttribute>()
            .Select(e => $"{(e.Group.Length == 0 ? "" : e.Group + "/")}{e.ApiVersion}/{e.Kind}"),
    ];

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void RenderedObjects_HaveOnlyFieldsTheirKubernetesTypesHave(bool everythingOn)
    {
        var (checkedKinds, problems) = Check(Helm.TemplateDocuments(everythingOn ? EverythingOn : []));

        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.Equal(
            ["ClusterRole", "ClusterRoleBinding", "ConfigMap", "CustomResourceDefinition", "Deployment", "Role", "RoleBinding", "Service", "ServiceAccount"],
            checkedKinds.Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>The CRDs and the examples users <c>kubectl apply</c> (the ranker's ConfigMap), without Helm.</summary>
    [Fact]
    public void RepositoryManifests_HaveOnlyFieldsTheirKubernetesTypesHave()
    {
        var files = RepoPaths.Sources("crds", "*.yaml").Concat(RepoPaths.Sources("examples", "*.yaml"));
        var (checkedKinds, problems) = Check(files.SelectMany(file => YamlJson.Objects(File.ReadAllText(file))));

        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.Equal(["ConfigMap", "CustomResourceDefinition"], checkedKinds.Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void StrictReading_RefusesAMisspelledField()
    {
        const string Deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: x}
            spec:
              selector: {matchLabels: {app: x}}
              template:
                metadata: {labels: {app: x}}
                spec:
                  containers: [{name: x, image: x, imagePulPolicy: Always}]
            """;

        var error = Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(Deployment, strict: true));

        Assert.Contains("imagePulPolicy", error.Message, StringComparison.Ordinal);
    }

    private static (List<string> CheckedKinds, List<string> Problems) Check(IEnumerable<YamlObject> documents)
    {
        var checkedKinds = new List<string>();
        var problems = new List<string>();
        foreach (var document in documents)
        {
            var kind = $"{document.Object["apiVersion"]}/{document.Object["kind"]}";
            if (!ClientKinds.Contains(kind))
            {
                continue;
            }

            checkedKinds.Add((string)document.Object["kind"]!);
            if (Record.Exception(() => KubernetesYaml.LoadAllFromString(document.Yaml, strict: true)) is { } error)
            {
                problems.Add($"{kind} {document.Object["metadata"]!["name"]}: {error.Message}");
            }
        }

        return (checkedKinds, problems);
    }
}
