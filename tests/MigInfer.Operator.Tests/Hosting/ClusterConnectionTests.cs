using System.Diagnostics;
using MigInfer.Operator.Hosting;

namespace MigInfer.Operator.Tests.Hosting;

public sealed class ClusterConnectionTests
{
    [Fact]
    public void NoKubeconfigAndNotInAPod_IsRefusedWithWhatToGive()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ClusterConnection.Load(_ => null, _ => false, () => false));

        Assert.StartsWith("no Kubernetes API to talk to: KUBECONFIG is unset, ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("run it in the cluster (helm install) or set KUBECONFIG", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperatorProcessWhosePortIsTaken_ExitsWith1AndSaysSo()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("miginfer-kubeconfig-").FullName, "config");
        await File.WriteAllTextAsync(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters: [{name: none, cluster: {server: "http://127.0.0.1:1"}}]
            users: [{name: operator, user: {token: none}}]
            contexts: [{name: none, context: {cluster: none, user: operator}}]
            current-context: none
            """);
        var start = new ProcessStartInfo("dotnet", [OperatorProcessTests.OperatorDll()]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["MIGINFER_METRICS_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["MIGINFER_HEALTH_PORT"] = "0";
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(1, process.ExitCode);
            Assert.StartsWith($"miginfer-operator: cannot listen (health port 0, metrics port {port}): ", await stderr, StringComparison.Ordinal);
            await stdout;
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(kubeconfig)!, recursive: true);
        }
    }

    [Fact]
    public async Task OperatorProcessWithoutACluster_ExitsWith2AndSaysSo()
    {
        var home = Directory.CreateTempSubdirectory("miginfer-home-").FullName;
        var start = new ProcessStartInfo("dotnet", [OperatorProcessTests.OperatorDll()]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment.Remove("KUBECONFIG");
        start.Environment.Remove("KUBERNETES_SERVICE_HOST");
        start.Environment["HOME"] = home;
        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(2, process.ExitCode);
            Assert.StartsWith("miginfer-operator: no Kubernetes API to talk to: KUBECONFIG is unset", await stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
