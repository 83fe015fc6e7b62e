using k8s;
using k8s.Models;
using MigInfer.Operator.Resources;
using MigInfer.Operator.Tests.Cluster;
using MigInfer.Operator.Tests.Fixtures;
using Xunit.Abstractions;

namespace MigInfer.Operator.Tests.Reconcilers;

/// <summary>spec.profile.profileRef: the latency table in a ConfigMap, read (not watched) by the operator.</summary>
public sealed class ProfileRefClusterTests(ITestOutputHelper output)
{
    private readonly TestLog _log = new(output);

    [Fact]
    public async Task ProfileInAConfigMap_WaitsForIt_PlansFromIt_AndFollowsItsChanges()
    {
        await using var cluster = await TestCluster.StartAsync(nodes: 1, gpus: 1, _log);
        cluster.StartOperator();
        var service = TestServices.Service("first", rps: 100);
        service.Spec!.Profile = new ProfileSpec { ProfileRef = new ProfileRefSpec { ConfigMap = "first-profile" } };

        // The ConfigMap does not exist yet: a spec problem that names the reference, and no pods.
        await cluster.ApplyAsync(service);
        await Timeouts.Eventually(async () => Ready(await cluster.GetServiceAsync("first")) is { Reason: "InvalidSpec" }, "first is InvalidSpec");
        Assert.Contains("spec.profile.profileRef.configMap = first-profile: there is no ConfigMap ml/first-profile", Ready(await cluster.GetServiceAsync("first"))!.Message, StringComparison.Ordinal);
        Assert.Empty(await cluster.PodsAsync());

        // Created later: read again within the re-check period, planned from its table.
        var map = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(Profile("7g.40gb"), "ml").Within();
        await cluster.ReadyAsync("first");
        Assert.Equal(["7g.40gb"], (await cluster.PodsAsync()).Select(p => p.Metadata.Labels[WellKnown.ProfileLabel]));

        // A new table (only 3g measured) re-plans the service onto 3g slices.
        map.Data = Profile("3g.20gb").Data;
        await cluster.Client.CoreV1.ReplaceNamespacedConfigMapAsync(map, map.Metadata.Name, "ml").Within();
        await Timeouts.Eventually(async () => (await cluster.PodsAsync()) is { Count: > 0 } pods && pods.All(p => p.Metadata.Labels[WellKnown.ProfileLabel] == "3g.20gb"), "first on 3g slices");
        await cluster.ReadyAsync("first");
    }

    private static V1ConfigMap Profile(string profile) => new()
    {
        Metadata = new V1ObjectMeta { Name = "first-profile", NamespaceProperty = "ml" },
        Data = new Dictionary<string, string>
        {
            ["profile.yaml"] = $"gpuProduct: {TestServices.Product}\nlatencies:\n  - {{profile: {profile}, batch: 1, ms: 2.5}}\n  - {{profile: {profile}, batch: 8, ms: 8}}\n",
        },
    };

    private static V1Condition? Ready(InferenceService? service) => service?.Status?.Conditions?.SingleOrDefault(c => c.Type == "Ready");
}
