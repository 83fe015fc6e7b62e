using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace MigInfer.InferenceServer.Tests.Fixtures;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c> package; <c>MIGINFER_PROMETHEUS</c> names another binary)
/// scraping the given targets every second, on a free port, with its data in a temporary folder. Tests that need it
/// are skipped without it; CI sets <c>MIGINFER_REQUIRE_TOOLS=1</c>, which turns a missing Prometheus into a failure.
/// The operator's tests link this file.
/// </summary>
internal sealed class RealPrometheus : IAsyncDisposable
{
    private const string HowToInstall = "apt-get install prometheus, or set MIGINFER_PROMETHEUS";

    /// <summary>How long starting up and the first scrape of every target may take.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _folder;

    private RealPrometheus(Process process, string folder, Uri api)
    {
        _process = process;
        _folder = folder;
        Api = new HttpClient { BaseAddress = api, Timeout = Patience };
    }

    public HttpClient Api { get; }

    /// <summary>Starts Prometheus, or skips the calling test (a <c>SkippableFact</c>) when there is none.</summary>
    public static RealPrometheus Start(params string[] targets)
    {
        var prometheus = TryStart(targets);
        Skip.If(prometheus is null, $"no prometheus found: {HowToInstall}");
        return prometheus!;
    }

    /// <summary>Starts Prometheus; null when there is none, which fails instead when CI requires the tools.</summary>
    public static RealPrometheus? TryStart(params string[] targets)
    {
        var binary = Find();
        if (binary is null)
        {
            return Environment.GetEnvironmentVariable("MIGINFER_REQUIRE_TOOLS") == "1"
                ? throw new InvalidOperationException($"MIGINFER_REQUIRE_TOOLS=1 but no prometheus was found: {HowToInstall}")
                : null;
        }

        var folder = Directory.CreateTempSubdirectory("miginfer-prometheus-").FullName;
        var config = Path.Combine(folder, "prometheus.yml");
        File.WriteAllText(config, $"global: {{ scrape_interval: 1s }}\nscrape_configs:\n  - job_name: test\n    static_configs: [ {{ targets: [{string.Join(", ", targets.Select(t => $"\"{t}\""))}] }} ]\n");
        var port = FreePort();
        var start = new ProcessStartInfo(binary!, [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder, "data")}", $"--web.listen-address=127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new RealPrometheus(process, folder, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>The health and last error of every target once each has been scraped at least once.</summary>
    public async Task<IReadOnlyList<(string Url, string Health, string Error)>> ScrapedTargetsAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var document = JsonDocument.Parse(await Api.GetStringAsync(new Uri("api/v1/targets", UriKind.Relative)));
                var targets = document.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
                    .Select(t => (Url: t.GetProperty("scrapeUrl").GetString()!, Health: t.GetProperty("health").GetString()!, Error: t.GetProperty("lastError").GetString() ?? ""))
                    .ToList();
                if (targets.Count > 0 && targets.All(t => t.Health != "unknown"))
                {
                    return targets;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (clock.Elapsed > Patience)
            {
                throw new TimeoutException("Prometheus did not scrape every target in time");
            }

            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("MIGINFER_PROMETHEUS") is { Length: > 0 } configured)
        {
            return configured;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(folder => Path.Combine(folder, "prometheus"))
            .FirstOrDefault(File.Exists);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
