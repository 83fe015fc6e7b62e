using System.Text.Json.Nodes;

namespace MigInfer.Chart.Tests.Fixtures;

/// <summary>A real Helm, for the tests that render the chart as <c>helm install</c> does (see <see cref="ExternalTool"/>).</summary>
internal static class Helm
{
    public const string Release = "mi";

    public const string Namespace = "miginfer";

    private static readonly ExternalTool Tool = new("helm", "MIGINFER_HELM", "run .ci/install-helm");

    // Helm reads no kubeconfig or repositories for these commands; keep a user's own out of the tests.
    private static readonly Dictionary<string, string> Isolated = new()
    {
        ["KUBECONFIG"] = "/dev/null",
        ["HELM_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "miginfer-helm-tests"),
    };

    /// <summary>Runs helm with these arguments in the repository root.</summary>
    public static ToolRun Run(params string[] arguments) => Tool.Run(arguments, Isolated);

    /// <summary>
    /// <c>helm template</c> of the chart with CRDs, as release <see cref="Release"/> in <see cref="Namespace"/>, with
    /// <c>--set</c> assignments (<c>key=value</c>; <c>key:=value</c> for <c>--set-json</c>); fails the test when Helm fails.
    /// </summary>
    public static IReadOnlyList<JsonObject> Template(params string[] settings) => [.. TemplateDocuments(settings).Select(d => d.Object)];

    /// <summary><see cref="Template"/>, each object with its YAML text as Helm printed it.</summary>
    public static IReadOnlyList<YamlObject> TemplateDocuments(params string[] settings)
    {
        var run = Run([.. TemplateArguments(settings)]);
        Assert.True(run.ExitCode == 0, $"helm template failed ({run.ExitCode}): {run.Stderr}");
        return YamlJson.Objects(run.Stdout);
    }

    /// <summary><c>helm template</c> that is expected to fail: its exit code and error text.</summary>
    public static ToolRun TemplateFailing(params string[] settings) => Run([.. TemplateArguments(settings)]);

    /// <summary>The NOTES Helm prints after an install (<c>helm install --dry-run=client</c>; skips with a Helm that needs a cluster for it).</summary>
    public static string Notes(params string[] settings)
    {
        var run = Run(["install", Release, RepoPaths.Chart, "--namespace", Namespace, "--dry-run=client", .. Sets(settings)]);
        Skip.If(run.Stderr.Contains("cluster unreachable", StringComparison.Ordinal), "this Helm renders NOTES only against a cluster (Helm 3); Helm 4 renders them offline");
        Assert.True(run.ExitCode == 0, $"helm install --dry-run failed ({run.ExitCode}): {run.Stderr}");
        var notes = run.Stdout.IndexOf("\nNOTES:\n", StringComparison.Ordinal);
        Assert.True(notes >= 0, $"helm printed no NOTES: {run.Stdout}");
        return run.Stdout[(notes + "\nNOTES:\n".Length)..];
    }

    private static IEnumerable<string> TemplateArguments(string[] settings) =>
        ["template", Release, RepoPaths.Chart, "--namespace", Namespace, "--include-crds", .. Sets(settings)];

    private static IEnumerable<string> Sets(string[] settings) =>
        settings.SelectMany(s => s.Contains(":=", StringComparison.Ordinal)
            ? new[] { "--set-json", s.Replace(":=", "=", StringComparison.Ordinal) }
            : ["--set", s]);
}
