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
