using System.Text.Json;
using MigInfer.Cli.Tests.Fixtures;

namespace MigInfer.Cli.Tests;

public sealed class PlanCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("miginfer-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Quickstart(string file) => Path.Combine(CliProcess.Examples, "quickstart", file);

    [Fact]
    public async Task Quickstart_PrintsAJsonPlanWithEveryGpuAndMeetsEverySlo()
    {
        var (code, stdout, stderr) = await CliProcess.Run(_dir, "plan", "--cluster", Quickstart("cluster.yaml"), "--services", Path.Combine(CliProcess.Examples, "quickstart"), "--time-limit", "2s", "--output", "json");

        Assert.True(code == 0, stderr);
        using var plan = JsonDocument.Parse(stdout);
        var root = plan.RootElement;
        Assert.Equal(8, root.GetProperty("gpus").GetArrayLength());
        Assert.Equal(0, root.GetProperty("unmet").GetArrayLength());
        Assert.InRange(root.GetProperty("gpusUsed").GetInt32(), 1, 8);
        foreach (var service in root.GetProperty("services").EnumerateArray())
        {
            Assert.True(service.GetProperty("capacityRps").GetDouble() >= service.GetProperty("demandRps").GetDouble());
            Assert.True(service.GetProperty("latencyEstimated").GetBoolean());
        }
    }

    [Fact]
    public async Task ReplanningFromItsOwnOptimalPlan_ChangesNothing()
    {
        // A plan the solver proved optimal cannot be improved, so feeding it back must keep it.
        var cluster = Write("cluster.yaml", ClusterYaml.Replace("gpuCount: 2", "gpuCount: 3"));
        var service = Write("svc.yaml", ServiceYaml.Replace("requestsPerSecond: 100", "requestsPerSecond: 1500"));
        var first = await CliProcess.Run(_dir, "plan", "--cluster", cluster, "--services", service, "--time-limit", "20s", "-o", "json");
        Assert.True(first.ExitCode == 0, first.Err);
        using (var firstPlan = JsonDocument.Parse(first.Out))
        {
            Assert.Equal("Optimal", firstPlan.RootElement.GetProperty("status").GetString());
        }

        var current = Write("current.json", first.Out);

        var (code, stdout, stderr) = await CliProcess.Run(_dir, "plan", "--cluster", cluster, "--services", service, "--current", current, "--time-limit", "20s", "-o", "json");

        Assert.True(code == 0, stderr);
        using var plan = JsonDocument.Parse(stdout);
        var diff = plan.RootElement.GetProperty("diff");
        Assert.Equal(0, diff.GetProperty("gpusChanged").GetInt32());
        Assert.Equal(0, diff.GetProperty("slicesMoved").GetInt32());
        Assert.Equal(0, diff.GetProperty("slicesAdded").GetInt32());
    }

    [Fact]
    public async Task TablePlan_ShowsServicesAndLabelsEstimates()
    {
        var (code, stdout, _) = await CliProcess.Run(_dir, "plan", "--cluster", Quickstart("cluster.yaml"), "--services", Path.Combine(CliProcess.Examples, "quickstart"), "--time-limit", "1s");

        Assert.Equal(0, code);
        Assert.Contains("vision/resnet50", stdout);
        Assert.Contains("(estimate)", stdout);
        Assert.Contains("GPUs used", stdout);
    }

    [Fact]
    public async Task TableToAPipe_KeepsEachServiceOnOneLineAndColumnsBoundsTheWidth()
    {
        string[] args = ["plan", "--cluster", Quickstart("cluster.yaml"), "--services", Path.Combine(CliProcess.Examples, "quickstart"), "--time-limit", "1s"];

        var (_, wide, _) = await CliProcess.Run(_dir, args);
        var start = CliProcess.StartInfo(_dir, null, args);
        start.Environment["COLUMNS"] = "100";
        using var process = System.Diagnostics.Process.Start(start)!;
        var narrow = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        // Unwrapped, the services table gives each service one line with its demand (80 columns cut the names in two).
        Assert.Contains(wide.Split('\n'), line => line.Contains("│ vision/resnet50 ", StringComparison.Ordinal) && line.Contains("│ 1500 ", StringComparison.Ordinal));
        Assert.All(narrow.Split('\n'), line => Assert.InRange(line.Length, 0, 100));
        Assert.Contains(narrow.Split('\n'), line => line.Length > 80);
    }

    public static TheoryData<string, string, string> BadInputs => new()
    {
        { "cluster", "kind: ClusterInventory\nnodes:\n  - {name: n1, gpuProduct: NVIDIA-V100, gpuCount: 2}\n", "cluster.yaml: node n1: gpuProduct = NVIDIA-V100" },
        { "cluster", "kind: ClusterInventory\nnodes:\n  - {name: n1, gpuProduct: NVIDIA-A100-SXM4-40GB, gpuCount: 2}\n  - {name: n1, gpuProduct: NVIDIA-A100-SXM4-40GB, gpuCount: 1}\n", "cluster.yaml: node n1 is listed twice" },
        { "cluster", "kind: ClusterInventory\nnodes:\n  - name: n1\n    gpuProduct: NVIDIA-A100-SXM4-40GB\n    gpuCount: 1\n    gpus: [ {index: 0, slices: [ {profile: 3g.20gb, start: 0}, {profile: 3g.20gb, start: 2} ]} ]\n", "cluster.yaml: node n1 gpu 0: current layout is invalid" },
        { "cluster", "kind: ClusterInventory\nnodes: [ {name: n1, gpuProduct: X, gpuCount: 2 ", "cluster.yaml:" },
        { "cluster", "kind: ClusterInventory\nnodes:\n  - {name: n1, gpuProduct: NVIDIA-A100-SXM4-40GB, gpuCount: -1}\n", "cluster.yaml: nodes[0] (n1): gpuCount = -1" },
        { "service", ServiceYaml.Replace("requestsPerSecond: 100", "requestsPerSecond: -1"), "svc.yaml: InferenceService default/m: spec.traffic.requestsPerSecond = -1" },
        { "service", ServiceYaml.Replace("requestsPerSecond: 100\n", "rate: 1\n"), "svc.yaml:8:" },
        { "service", ServiceYaml.Replace("    requestsPerSecond: 100\n", ""), "svc.yaml: InferenceService default/m: spec.traffic is missing" },
        { "service", ServiceYaml.Replace("latencyMs: 50", "latencyMs: 2"), "svc.yaml: InferenceService default/m: spec.slo.latencyMs = 2: no allowed, measured profile runs any request size within beta x SLO = 1 ms" },
        { "service", ServiceYaml.Replace("memoryMiB: 1000", "memoryMiB: 90000"), "svc.yaml: InferenceService default/m: spec.model.memoryMiB = 90000 is larger than every slice" },
        { "service", ServiceYaml.Replace(", memoryMiB: 1000", "").Replace("    gpuProduct: NVIDIA-A100-SXM4-40GB\n    latencies:\n      - { profile: 1g.5gb, batch: 1, ms: 5 }\n      - { profile: 7g.40gb, batch: 1, ms: 3 }\n", "    estimate: { gflopsPerSample: 1, weightMiB: 90000 }\n"), "svc.yaml: InferenceService default/m: spec.model.memoryMiB is not given, and the estimate from spec.profile.estimate (weightMiB + activationMiBPerSample x maxBatchSize = 90000 MiB) is larger than every slice" },
        { "service", ServiceYaml.Replace("profile: 7g.40gb", "profile: 9g.90gb"), "spec.profile.latencies[1].profile = 9g.90gb does not exist on A100-40GB" },
        { "service", ServiceYaml.Replace("    gpuProduct: NVIDIA-A100-SXM4-40GB\n", "").Replace("    latencies:\n      - { profile: 1g.5gb, batch: 1, ms: 5 }\n      - { profile: 7g.40gb, batch: 1, ms: 3 }\n", "    source: measured\n"), "spec.profile has no latency table" },
    };

    private const string ServiceYaml = """
        apiVersion: miginfer.io/v1alpha1
        kind: InferenceService
        metadata: { name: m }
        spec:
          model: { storageUri: file://m.onnx, maxBatchSize: 1, memoryMiB: 1000 }
          slo: { latencyMs: 50 }
          traffic:
            requestsPerSecond: 100
          profile:
            gpuProduct: NVIDIA-A100-SXM4-40GB
            latencies:
              - { profile: 1g.5gb, batch: 1, ms: 5 }
              - { profile: 7g.40gb, batch: 1, ms: 3 }

        """;

    private const string ClusterYaml = "kind: ClusterInventory\nnodes:\n  - {name: n1, gpuProduct: NVIDIA-A100-SXM4-40GB, gpuCount: 2}\n";

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task BadInput_ExitsWithTwoAndOneMessageNamingFileObjectAndField(string which, string text, string expected)
    {
        var cluster = Write("cluster.yaml", which == "cluster" ? text : ClusterYaml);
        var service = Write("svc.yaml", which == "service" ? text : ServiceYaml);

        var (code, stdout, stderr) = await CliProcess.Run(_dir, "plan", "--cluster", cluster, "--services", service, "--time-limit", "1s");

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("miginfer plan: ", line);
        Assert.True(line.Contains(expected, StringComparison.Ordinal), $"expected \"{expected}\" in: {line}");
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task TheSameServiceInTwoFiles_NamesBothFiles()
    {
        var cluster = Write("cluster.yaml", ClusterYaml);
        var services = Directory.CreateDirectory(Path.Combine(_dir, "services")).FullName;
        File.WriteAllText(Path.Combine(services, "a.yaml"), ServiceYaml);
        File.WriteAllText(Path.Combine(services, "b.yaml"), ServiceYaml);

        var (code, _, stderr) = await CliProcess.Run(_dir, "plan", "--cluster", cluster, "--services", services, "--time-limit", "1s");

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("b.yaml: InferenceService default/m is also in ", line, StringComparison.Ordinal);
        Assert.Contains("a.yaml", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CurrentPlanWithALayoutThePlannerRefuses_NamesThePlanFile()
    {
        var cluster = Write("cluster.yaml", ClusterYaml);
        var service = Write("svc.yaml", ServiceYaml);
        var current = Write("current.json", """{"gpus": [{"node": "n1", "index": 1, "slices": [{"profile": "9g.90gb", "start": 0}]}]}""");

        var (code, stdout, stderr) = await CliProcess.Run(_dir, "plan", "--cluster", cluster, "--services", service, "--current", current, "--time-limit", "1s");

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("current.json: node n1 gpu 1: profile 9g.90gb does not exist on A100-40GB", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFile_ExitsWithTwo()
    {
        var (code, _, stderr) = await CliProcess.Run(_dir, "plan", "--cluster", "nope.yaml", "--services", "nope", "--time-limit", "1s");

        Assert.Equal(2, code);
        Assert.Contains("nope.yaml: cannot read the file", stderr);
    }

    [Fact]
    public async Task TooMuchLoad_PrintsThePlanAndExitsWithOne()
    {
        var cluster = Write("cluster.yaml", ClusterYaml);
        var service = Write("svc.yaml", ServiceYaml.Replace("requestsPerSecond: 100", "requestsPerSecond: 100000"));

        var (code, stdout, _) = await CliProcess.Run(_dir, "plan", "--cluster", cluster, "--services", service, "--time-limit", "1s");

        Assert.Equal(1, code);
        Assert.Contains("unmet", stdout);
        Assert.Contains("too few free GPUs", stdout);
    }

    [Theory]
    [InlineData("--time-limit", "soon")]
    [InlineData("--workers", "0")]
    [InlineData("--output", "xml")]
    public async Task BadOption_ExitsWithTwo(string option, string value)
    {
        var cluster = Write("cluster.yaml", ClusterYaml);
        var service = Write("svc.yaml", ServiceYaml);

        var (code, _, stderr) = await CliProcess.Run(_dir, "plan", "--cluster", cluster, "--services", service, option, value);

        Assert.Equal(2, code);
        Assert.Contains($"{option} = {value}", stderr, StringComparison.Ordinal);
    }
}
