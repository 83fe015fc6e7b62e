using System.Diagnostics;
using System.Text.Json.Nodes;

namespace MigInfer.Chart.Tests.Fixtures;

/// <summary>
/// A real Helm, for the tests that render the chart as <c>helm install</c> does: <c>MIGINFER_HELM</c>, else the pinned
/// copy <c>.ci/install-helm</c> puts in <c>.tools/bin</c>, else <c>helm</c> on the PATH. Without one these tests are
/// skipped, saying how to get it; CI sets <c>MIGINFER_REQUIRE_HELM=1</c>, which turns a missing Helm into a failure.
/// </summary>
internal static class Helm
{
    public const string Release = "mi";

    public const string Namespace = "miginfer";

    private static readonly string? Binary = Find();

    /// <summary>Skips the calling test when no Helm is installed (fails it when CI requires one).</summary>
    public static void Require()
    {
        const string how = "run .ci/install-helm, or set MIGINFER_HELM to a helm binary";
        if (Binary is null && Environment.GetEnvironmentVariable("MIGINFER_REQUIRE_HELM") == "1")
        {
            throw new InvalidOperationException($"MIGINFER_REQUIRE_HELM=1 but no helm was found: {how}");
        }

        Skip.If(Binary is null, $"no helm found: {how}");
    }

    /// <summary>Runs helm with these arguments in the repository root.</summary>
    public static HelmRun Run(params string[] arguments)
    {
        Require();
        var start = new ProcessStartInfo(Binary!)
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Helm reads no kubeconfig or repositories for these commands; keep a user's own out of the tests.
        start.Environment["KUBECONFIG"] = "/dev/null";
        start.Environment["HELM_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "miginfer-helm-tests");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"helm {string.Join(' ', arguments)} did not finish within a minute");
        }

        return new HelmRun(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// <c>helm template</c> of the chart with CRDs, as release <see cref="Release"/> in <see cref="Namespace"/>, with
    /// <c>--set</c> assignments (<c>key=value</c>; <c>key:=value</c> for <c>--set-json</c>); fails the test when Helm fails.
    /// </summary>
    public static IReadOnlyList<JsonObject> Template(params string[] settings)
    {
        var run = Run([.. TemplateArguments(settings)]);
        Assert.True(run.ExitCode == 0, $"helm template failed ({run.ExitCode}): {run.Stderr}");
        return [.. YamlJson.Documents(run.Stdout).OfType<JsonObject>()];
    }

    /// <summary><c>helm template</c> that is expected to fail: its exit code and error text.</summary>
    public static HelmRun TemplateFailing(params string[] settings) => Run([.. TemplateArguments(settings)]);

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

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("MIGINFER_HELM") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new InvalidOperationException($"MIGINFER_HELM={configured}: no such file");
        }

        var pinned = RepoPaths.InRoot(".tools", "bin", "helm");
        if (File.Exists(pinned))
        {
            return pinned;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "helm"))
            .FirstOrDefault(File.Exists);
    }
}

internal sealed record HelmRun(int ExitCode, string Stdout, string Stderr);
