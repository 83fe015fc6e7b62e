using k8s.Models;
using MigInfer.Operator.Nodes;
using MigInfer.Planning.Catalog;

namespace MigInfer.Operator.Tests.Nodes;

public sealed class GpuNodeReaderTests
{
    [Theory]
    [InlineData("NVIDIA-A100-SXM4-40GB", "true", "mixed", "8", null)]
    [InlineData("NVIDIA-A100-SXM4-40GB-MIG-1g.5gb", "true", "mixed", "8", null)]
    [InlineData("NVIDIA-A100-SXM4-40GB", "false", "mixed", "8", "MigNotCapable")]
    [InlineData("NVIDIA-A100-SXM4-40GB", "true", "single", "8", "MigStrategyNotMixed")]
    [InlineData("NVIDIA-A100-SXM4-40GB", "true", null, "8", "MigStrategyNotMixed")]
    [InlineData("Tesla-T4", "true", "mixed", "1", "UnknownGpuProduct")]
    [InlineData("NVIDIA-A100-SXM4-40GB", "true", "mixed", "x", "GpuCountUnknown")]
    public void Read_TakesPartOrSaysWhyNot(string product, string capable, string? strategy, string count, string? reason)
    {
        var labels = new Dictionary<string, string> { ["nvidia.com/gpu.product"] = product, ["nvidia.com/mig.capable"] = capable, ["nvidia.com/gpu.count"] = count, ["zone"] = "a" };
        if (strategy is not null)
        {
            labels["nvidia.com/mig.strategy"] = strategy;
        }

        var reading = GpuNodeReader.Read(new V1Node { Metadata = new V1ObjectMeta { Name = "n", Labels = labels } }, GpuCatalog.Default);

        Assert.Equal(reason, reading.Reason);
        Assert.Equal(reason is null, reading.Participates);
        Assert.True(reading.IsGpuNode);
        if (reason is null)
        {
            Assert.Equal(8, reading.Inventory!.GpuCount);
            Assert.Equal("NVIDIA-A100-SXM4-40GB", reading.Inventory.GpuProduct);
            Assert.Equal("a", reading.Inventory.Labels["zone"]);
        }
        else
        {
            Assert.Contains("nvidia.com/", reading.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(true, null, "NodeCordoned", "spec.unschedulable")]
    [InlineData(false, "node.kubernetes.io/not-ready:NoSchedule", "NodeNotReady", "node.kubernetes.io/not-ready")]
    [InlineData(false, "node.kubernetes.io/unreachable:NoExecute", "NodeNotReady", "node.kubernetes.io/unreachable")]
    [InlineData(false, "nvidia.com/gpu:NoSchedule", null, null)]
    public void NodeThatCannotTakeNewPods_IsLeftOutSayingWhy(bool cordoned, string? taint, string? reason, string? named)
    {
        var labels = new Dictionary<string, string> { ["nvidia.com/gpu.product"] = "NVIDIA-A100-SXM4-40GB", ["nvidia.com/mig.capable"] = "true", ["nvidia.com/mig.strategy"] = "mixed", ["nvidia.com/gpu.count"] = "8" };
        var taints = taint is null ? null : new List<V1Taint> { new() { Key = taint.Split(':')[0], Effect = taint.Split(':')[1] } };
        var node = new V1Node { Metadata = new V1ObjectMeta { Name = "n", Labels = labels }, Spec = new V1NodeSpec { Unschedulable = cordoned, Taints = taints } };

        var reading = GpuNodeReader.Read(node, GpuCatalog.Default);

        Assert.Equal(reason is null, reading.Participates);
        Assert.Equal(reason, reading.Reason);
        if (named is not null)
        {
            Assert.Contains(named, reading.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NodeWithoutGpuProductLabel_IsNoGpuNode()
    {
        var reading = GpuNodeReader.Read(new V1Node { Metadata = new V1ObjectMeta { Name = "cpu" } }, GpuCatalog.Default);

        Assert.False(reading.IsGpuNode);
    }
}
