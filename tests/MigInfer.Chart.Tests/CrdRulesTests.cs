using System.Text.Json.Nodes;
using MigInfer.Chart.Tests.Fixtures;
using MigInfer.Planning;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Documents;

namespace MigInfer.Chart.Tests;

/// <summary>
/// The CRDs' admission rules (<c>x-kubernetes-validations</c>, in CEL) run by a real CEL implementation
/// (<see cref="Cel"/>): nothing else runs them before an API server does, and one that does not compile makes the API
/// server refuse the whole CRD. Every rule must refuse its counterexample below (so every rule parses and means what
/// its message says), every example a user applies must pass every rule, and what a rule refuses the planner's reader
/// (which the CLI and the operator use) refuses too, so admission and the operator's status conditions agree.
/// </summary>
public sealed class CrdRulesTests
{
    private const string ValidService = """
        apiVersion: miginfer.io/v1alpha1
        kind: InferenceService
        metadata: { name: m, namespace: ns }
        spec:
          model: { storageUri: "pvc://models/m.onnx", maxBatchSize: 8, memoryMiB: 1000, maxDims: { sequence: 512 } }
          slo: { latencyMs: 50 }
          traffic:
            requestsPerSecond: 100
            batchSizes: [ {size: 1, weight: 70}, {size: 8, weight: 30} ]
          batching: { preferredBatchSizes: [4, 8] }
          profile:
            gpuProduct: NVIDIA-A100-SXM4-40GB
            latencies:
              - { profile: 1g.5gb, batch: 1, ms: 5 }
              - { profile: 1g.5gb, batch: 8, ms: 20 }
              - { profile: 7g.40gb, batch: 1, ms: 3 }
              - { profile: 7g.40gb, batch: 8, ms: 6 }

        """;

    /// <summary>For every rule of the InferenceService CRD, by its message: the valid service changed to break it.</summary>
    public static TheoryData<string, string, string> ServiceCounterexamples => new()
    {
        { "every spec.traffic.batchSizes[].size must be at most spec.model.maxBatchSize", "{size: 8, weight: 30}", "{size: 16, weight: 30}" },
        { "spec.traffic.lognormal.max must be at most spec.model.maxBatchSize", "batchSizes: [ {size: 1, weight: 70}, {size: 8, weight: 30} ]", "lognormal: {median: 2, sigma: 1, max: 16}" },
        { "every spec.batching.preferredBatchSizes entry must be at most spec.model.maxBatchSize", "preferredBatchSizes: [4, 8]", "preferredBatchSizes: [4, 16]" },
        { "give spec.traffic.batchSizes or spec.traffic.lognormal, not both", "    batchSizes:", "    lognormal: {median: 2, sigma: 1}\n    batchSizes:" },
        { "each size may appear only once in spec.traffic.batchSizes", "{size: 8, weight: 30}", "{size: 1, weight: 30}" },
        { "weight must be positive", "{size: 8, weight: 30}", "{size: 8, weight: 0}" },
        { "give exactly one of spec.profile.latencies, spec.profile.estimate or spec.profile.profileRef", "    latencies:", "    estimate: {gflopsPerSample: 8}\n    latencies:" },
        { "spec.profile.gpuProduct is required with spec.profile.latencies", "    gpuProduct: NVIDIA-A100-SXM4-40GB\n", "" },
        { "with spec.profile.profileRef the ConfigMap's table names the GPU product, not spec.profile.gpuProduct", "    latencies:\n      - { profile: 1g.5gb, batch: 1, ms: 5 }\n      - { profile: 1g.5gb, batch: 8, ms: 20 }\n      - { profile: 7g.40gb, batch: 1, ms: 3 }\n      - { profile: 7g.40gb, batch: 8, ms: 6 }\n", "    profileRef: {configMap: m-profile}\n" },
        { "each (profile, batch) point may appear only once in spec.profile.latencies", "{ profile: 7g.40gb, batch: 8, ms: 6 }", "{ profile: 7g.40gb, batch: 1, ms: 6 }" },
    };

    [SkippableFact]
    public void ValidService_PassesEveryRule()
    {
        var failures = Failures(Rules("inferenceservices.miginfer.io.yaml"), YamlJson.Objects(ValidService).Single().Object);

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [SkippableTheory]
    [MemberData(nameof(ServiceCounterexamples))]
    public void Counterexample_IsRefusedByItsRule_AndByThePlannersReader(string message, string find, string replace)
    {
        Assert.Contains(find, ValidService, StringComparison.Ordinal);
        var yaml = ValidService.Replace(find, replace, StringComparison.Ordinal);
        var rules = Rules("inferenceservices.miginfer.io.yaml");
        var rule = Assert.Single(rules, r => r.Message == message);

        var failures = Failures(rules, YamlJson.Objects(yaml).Single().Object);

        Assert.True(failures.Contains($"{rule.Path}: {message}"), $"expected the rule \"{rule.Rule}\" to refuse it; failures: [{string.Join("; ", failures)}]");
        var readerError = Record.Exception(() => ServiceReader.Read(yaml, "m.yaml", GpuCatalog.Default));
        Assert.True(readerError is PlanningInputException or DocumentException, $"the planner's reader accepted what admission refuses ({message}): {readerError}");
    }

    [Fact]
    public void EveryInferenceServiceRule_HasACounterexample()
    {
        var covered = ServiceCounterexamples.Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);

        var uncovered = Rules("inferenceservices.miginfer.io.yaml").Select(r => r.Message).Where(m => !covered.Contains(m)).ToList();

        Assert.True(uncovered.Count == 0, $"rules without a counterexample in {nameof(ServiceCounterexamples)}: {string.Join("; ", uncovered)}");
    }

    [SkippableTheory]
    [InlineData("default", true)]
    [InlineData("other", false)]
    public void MigPlan_MustBeNamedDefault(string name, bool admitted)
    {
        var rules = Rules("migplans.miginfer.io.yaml");
        var plan = new JsonObject { ["apiVersion"] = "miginfer.io/v1alpha1", ["kind"] = "MigPlan", ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = new JsonObject() };

        Assert.Equal(admitted, Failures(rules, plan).Count == 0);
        Assert.Single(rules);
    }

    /// <summary>What users <c>kubectl apply</c> from examples/.</summary>
    [SkippableFact]
    public void Examples_PassEveryRule()
    {
        var rules = Rules("inferenceservices.miginfer.io.yaml");
        var services = ExampleServices();

        var failures = services.SelectMany(s => Failures(rules, s.Object).Select(f => $"{s.File}: {f}")).ToList();

        Assert.True(services.Count >= 8, $"found {services.Count} InferenceServices under examples/");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>
    /// What users <c>kubectl apply</c> from examples/, against the CRD's schema as the API server checks it with strict
    /// field validation: types, bounds and no undeclared field (metadata is ObjectMeta, which the API server checks).
    /// </summary>
    [Fact]
    public void Examples_MatchTheCrdSchema()
    {
        var schema = Assert.Single(YamlJson.ParseFile(RepoPaths.InRoot("crds", "inferenceservices.miginfer.io.yaml"))!["spec"]!["versions"]!.AsArray())!["schema"]!["openAPIV3Schema"]!;
        var services = ExampleServices()
            .Append((File: "the rules tests' valid service", YamlJson.Objects(ValidService).Single().Object))
            .ToList();

        var failures = services.SelectMany(s =>
        {
            var document = s.Object.DeepClone().AsObject();
            document.Remove("metadata");
            return JsonSchemaChecker.Validate(schema, document, kubernetes: true).Select(f => $"{s.File}: {f}");
        }).ToList();

        Assert.True(services.Count >= 9, $"found {services.Count} InferenceServices");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>Every InferenceService under examples/, with its file relative to the repository.</summary>
    private static List<(string File, JsonObject Object)> ExampleServices() =>
    [
        .. RepoPaths.Sources("examples", "*.yaml")
            .SelectMany(file => YamlJson.Objects(File.ReadAllText(file)).Select(o => (File: Path.GetRelativePath(RepoPaths.Root, file), o.Object)))
            .Where(d => (string?)d.Object["kind"] == "InferenceService"),
    ];

    /// <summary>
    /// A rule of a CRD: where it is declared (field names from the root, <c>[]</c> for a list's items; shown as
    /// <c>spec.traffic.batchSizes[]</c>), that schema, and the rule.
    /// </summary>
    private sealed record RuleSite(string[] Steps, JsonObject Schema, string Rule, string Message)
    {
        public string Path => string.Join('.', Steps).Replace(".[]", "[]", StringComparison.Ordinal);
    }

    private static List<RuleSite> Rules(string crd)
    {
        var versions = YamlJson.ParseFile(RepoPaths.InRoot("crds", crd))!["spec"]!["versions"]!.AsArray();
        return [.. Walk(Assert.Single(versions)!["schema"]!["openAPIV3Schema"]!.AsObject(), [])];

        static IEnumerable<RuleSite> Walk(JsonObject schema, string[] steps)
        {
            foreach (var rule in schema["x-kubernetes-validations"]?.AsArray() ?? [])
            {
                yield return new RuleSite(steps, schema, (string)rule!["rule"]!, (string)rule["message"]!);
            }

            var children = (schema["properties"]?.AsObject() ?? []).Select(p => (Step: p.Key, Schema: p.Value!.AsObject()));
            if (schema["items"] is JsonObject items)
            {
                children = children.Append(("[]", items));
            }

            foreach (var (step, child) in children)
            {
                foreach (var rule in Walk(child, [.. steps, step]))
                {
                    yield return rule;
                }
            }
        }
    }

    /// <summary>"path: message" for every rule that refuses <paramref name="resource"/>, or says why it could not be evaluated.</summary>
    private static List<string> Failures(IReadOnlyList<RuleSite> rules, JsonObject resource)
    {
        var cases = rules.SelectMany(rule => ValuesAt(resource, rule.Steps).Select(self => (Rule: rule, Case: new CelCase(rule.Rule, rule.Schema, self)))).ToList();
        var outcomes = Cel.Evaluate([.. cases.Select(c => c.Case)]);
        return
        [
            .. cases.Zip(outcomes).Where(pair => pair.Second.Result != true).Select(pair => pair.Second.Error is { } error
                ? $"{pair.First.Rule.Path}: rule \"{pair.First.Rule.Rule}\" could not be evaluated: {error}"
                : $"{pair.First.Rule.Path}: {pair.First.Rule.Message}"),
        ];
    }

    /// <summary>The values at a rule's place: none when a field on the way is absent (the API server runs no rule there).</summary>
    private static IEnumerable<JsonNode?> ValuesAt(JsonNode? node, string[] steps) => steps switch
    {
        [] => [node],
        ["[]", .. var rest] => (node as JsonArray ?? []).SelectMany(item => ValuesAt(item, rest)),
        [var field, .. var rest] => node is JsonObject o && o.TryGetPropertyValue(field, out var child) ? ValuesAt(child, rest) : [],
    };
}
