using System.Text.Json.Nodes;
using MigInfer.Chart.Tests.Fixtures;

namespace MigInfer.Chart.Tests;

/// <summary>The operator's RBAC is least privilege: no wildcards, and exactly the grants below.</summary>
public sealed class RbacTests
{
    /// <summary>Every grant as "Kind group/resource verb", resourceNames appended as "[name]".</summary>
    private static readonly string[] ExpectedGrants =
    [
        .. Grants("ClusterRole", "miginfer.io/inferenceservices", "get", "list", "watch", "update", "patch"),
        .. Grants("ClusterRole", "miginfer.io/inferenceservices/status", "get", "update", "patch"),
        .. Grants("ClusterRole", "miginfer.io/inferenceservices/finalizers", "update"),
        .. Grants("ClusterRole", "miginfer.io/migplans", "get", "list", "watch", "update", "patch"),
        .. Grants("ClusterRole", "miginfer.io/migplans/status", "get", "update", "patch"),
        .. Grants("ClusterRole", "miginfer.io/migplans/finalizers", "update"),
        .. Grants("ClusterRole", "/nodes", "get", "list", "watch", "patch"),
        .. Grants("ClusterRole", "/pods", "get", "list", "watch", "create", "patch", "delete"),
        .. Grants("ClusterRole", "/services", "get", "list", "watch", "create", "update", "patch", "delete"),
        .. Grants("ClusterRole", "policy/poddisruptionbudgets", "get", "list", "watch", "create", "update", "delete"),
        .. Grants("ClusterRole", "/configmaps", "get"),
        .. Grants("ClusterRole", "/events", "create", "patch"),
        .. Grants("ClusterRole", "events.k8s.io/events", "create", "patch"),
        .. Grants("Role", "/configmaps", "create"),
        .. Grants("Role", "/configmaps[TPL .Values.gpuOperator.migConfigMapName | quote]", "get", "list", "watch", "update", "patch"),
        .. Grants("Role", "coordination.k8s.io/leases", "create"),
        .. Grants("Role", "coordination.k8s.io/leases[TPL .Values.leaderElection.leaseName | quote]", "get", "update", "patch"),
    ];

    private static readonly IReadOnlyList<JsonObject> Objects = TemplateText.Skeleton(ChartFiles.Template("rbac.yaml"));

    private static IEnumerable<JsonObject> Rules => Objects
        .Where(o => (string?)o["kind"] is "ClusterRole" or "Role")
        .SelectMany(o => o["rules"]!.AsArray().Select(r => r!.AsObject()));

    [Fact]
    public void Rules_HaveNoWildcards()
    {
        var wildcards = Rules
            .SelectMany(rule => rule.Where(kv => kv.Value is JsonArray).SelectMany(kv => kv.Value!.AsArray().Select(item => (Field: kv.Key, Item: (string?)item))))
            .Where(x => x.Item is null || x.Item.Contains('*', StringComparison.Ordinal))
            .Select(x => $"{x.Field}: {x.Item}")
            .ToList();

        Assert.NotEmpty(Rules);
        Assert.Empty(wildcards);
    }

    [Fact]
    public void Rules_NameGroupsResourcesAndVerbs()
    {
        Assert.All(Rules, rule =>
        {
            Assert.NotNull(rule["apiGroups"]);
            Assert.NotEmpty(rule["resources"]!.AsArray());
            Assert.NotEmpty(rule["verbs"]!.AsArray());
            Assert.Null(rule["nonResourceURLs"]);
        });
    }

    [Fact]
    public void Grants_AreExactlyTheOperatorsNeeds()
    {
        var actual = Objects
            .Where(o => (string?)o["kind"] is "ClusterRole" or "Role")
            .SelectMany(o => o["rules"]!.AsArray().SelectMany(rule => GrantsOf((string)o["kind"]!, rule!.AsObject())))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(ExpectedGrants.Order(StringComparer.Ordinal), actual);
    }

    [Fact]
    public void Roles_AreBoundToTheOperatorsServiceAccount()
    {
        var roles = Objects.Where(o => (string?)o["kind"] is "ClusterRole" or "Role").Select(o => $"{o["kind"]}").ToList();
        var bindings = Objects.Where(o => (string?)o["kind"] is "ClusterRoleBinding" or "RoleBinding").ToList();

        Assert.Equal(roles.Count, bindings.Count);
        Assert.All(bindings, b =>
        {
            Assert.Equal(((string)b["kind"]!).Replace("Binding", "", StringComparison.Ordinal), (string?)b["roleRef"]!["kind"]);
            Assert.Equal("ServiceAccount", (string?)b["subjects"]![0]!["kind"]);
        });
    }

    [Fact]
    public void ConfigMapWrites_AreOnlyInTheGpuOperatorNamespaceRole()
    {
        var writers = Objects
            .Where(o => (string?)o["kind"] is "Role" or "ClusterRole")
            .Where(o => o["rules"]!.AsArray().Any(r => Has(r!, "resources", "configmaps") && (Has(r!, "verbs", "update") || Has(r!, "verbs", "create"))))
            .Select(o => (string?)o["metadata"]!["namespace"])
            .ToList();

        Assert.Equal(["TPL .Values.gpuOperator.namespace"], writers);
    }

    private static IEnumerable<string> GrantsOf(string kind, JsonObject rule)
    {
        var names = rule["resourceNames"] is JsonArray n ? $"[{string.Join(',', n.Select(x => (string?)x))}]" : "";
        return from g in rule["apiGroups"]!.AsArray()
               from r in rule["resources"]!.AsArray()
               from v in rule["verbs"]!.AsArray()
               select $"{kind} {(string?)g}/{(string?)r}{names} {(string?)v}";
    }

    private static IEnumerable<string> Grants(string kind, string resource, params string[] verbs) =>
        verbs.Select(v => $"{kind} {resource} {v}");

    private static bool Has(JsonNode rule, string field, string item) =>
        rule[field] is JsonArray items && items.Any(i => (string?)i == item);
}
