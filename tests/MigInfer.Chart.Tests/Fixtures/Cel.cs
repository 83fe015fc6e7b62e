using System.Text.Json.Nodes;

namespace MigInfer.Chart.Tests.Fixtures;

/// <summary>
/// Evaluates CRD validation rules (<c>x-kubernetes-validations</c>) with a real CEL implementation: Buf's
/// <c>@bufbuild/cel</c>, pinned with its integrity hashes in <c>tests/MigInfer.Chart.Tests/Cel/package-lock.json</c>
/// and installed there by <c>.ci/install-cel</c>, run by Node.js through <c>Cel/evaluate.mjs</c>, which types
/// <c>self</c> by the rule's schema as the API server does. Tests skip without Node or the package, unless CI
/// requires the tools.
/// </summary>
internal static class Cel
{
    private static readonly ExternalTool Node = new("node", "MIGINFER_NODE", "install Node.js (apt-get install nodejs npm)");

    private static string Folder => RepoPaths.InRoot("tests", "MigInfer.Chart.Tests", "Cel");

    /// <summary>One result per case, in order: true or false, or the error of a rule that does not parse or evaluate to a bool.</summary>
    public static IReadOnlyList<CelOutcome> Evaluate(IReadOnlyList<CelCase> cases)
    {
        Node.Require();
        ExternalTool.RequireThat(Directory.Exists(Path.Combine(Folder, "node_modules", "@bufbuild", "cel")), "CEL evaluator (@bufbuild/cel)", "run .ci/install-cel");
        var file = Path.Combine(Path.GetTempPath(), $"miginfer-cel-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, new JsonArray([.. cases.Select(c => new JsonObject { ["rule"] = c.Rule, ["schema"] = c.Schema.DeepClone(), ["self"] = c.Self?.DeepClone() })]).ToJsonString());
        try
        {
            var run = Node.Run([Path.Combine(Folder, "evaluate.mjs"), file]);
            Assert.True(run.ExitCode == 0, $"evaluate.mjs failed ({run.ExitCode}): {run.Stderr}");
            return [.. JsonNode.Parse(run.Stdout)!.AsArray().Select(o => new CelOutcome((bool?)o!["result"], (string?)o["error"]))];
        }
        finally
        {
            File.Delete(file);
        }
    }
}

/// <summary>A rule, the schema of the place it is declared, and the value there (<c>self</c>).</summary>
internal sealed record CelCase(string Rule, JsonObject Schema, JsonNode? Self);

/// <summary>What a rule said of a value: <see cref="Result"/>, or <see cref="Error"/> when it could not say.</summary>
internal sealed record CelOutcome(bool? Result, string? Error);
