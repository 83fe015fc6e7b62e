using MigInfer.Planning.Catalog;

namespace MigInfer.Planning.Tests;

public sealed class CatalogTests
{
    [Theory]
    [InlineData("NVIDIA-A100-SXM4-40GB", "A100-40GB", "1g.5gb")]
    [InlineData("NVIDIA-A100-PCIE-40GB", "A100-40GB", "1g.5gb")]
    [InlineData("NVIDIA-A100-SXM4-80GB", "A100-80GB", "1g.10gb")]
    [InlineData("NVIDIA-H100-80GB-HBM3", "H100-80GB", "1g.10gb")]
    [InlineData("NVIDIA-A100-SXM4-40GB-MIG-1g.5gb", "A100-40GB", "1g.5gb")]
    [InlineData("NVIDIA-H100-80GB-HBM3-SHARED", "H100-80GB", "1g.10gb")]
    public void ProductLabels_ResolveToTheirBoard(string label, string product, string smallest)
    {
        var resolved = GpuCatalog.Default.Resolve(label);

        Assert.Equal(product, resolved.Name);
        Assert.Equal(smallest, resolved.PlannableProfiles.First().Name);
    }

    [Fact]
    public void UnknownProduct_IsRejectedWithItsName()
    {
        var ex = Assert.Throws<PlanningInputException>(() => GpuCatalog.Default.Resolve("NVIDIA-V100-SXM2-16GB"));

        Assert.Contains("NVIDIA-V100-SXM2-16GB", ex.Message);
    }

    [Theory]
    [InlineData("A100-40GB", "1g.5gb", 19, 1, 1, 7, 4864, "0,1,2,3,4,5,6")]
    [InlineData("A100-40GB", "1g.10gb", 15, 1, 2, 4, 9856, "0,2,4,6")]
    [InlineData("A100-40GB", "2g.10gb", 14, 2, 2, 3, 9856, "0,2,4")]
    [InlineData("A100-40GB", "3g.20gb", 9, 3, 4, 2, 19968, "0,4")]
    [InlineData("A100-40GB", "4g.20gb", 5, 4, 4, 1, 19968, "0")]
    [InlineData("A100-40GB", "7g.40gb", 0, 7, 8, 1, 40192, "0")]
    [InlineData("A100-80GB", "3g.40gb", 9, 3, 4, 2, 40192, "0,4")]
    // The H100 rows are what `nvidia-smi mig -lgip` / `-lgipp` printed on an H100 80GB HBM3 (driver 580.159.04).
    [InlineData("H100-80GB", "1g.10gb", 19, 1, 1, 7, 9984, "0,1,2,3,4,5,6")]
    [InlineData("H100-80GB", "1g.20gb", 15, 1, 2, 4, 20090, "0,2,4,6")]
    [InlineData("H100-80GB", "2g.20gb", 14, 2, 2, 3, 20090, "0,2,4")]
    [InlineData("H100-80GB", "3g.40gb", 9, 3, 4, 2, 40448, "0,4")]
    [InlineData("H100-80GB", "4g.40gb", 5, 4, 4, 1, 40448, "0")]
    [InlineData("H100-80GB", "7g.80gb", 0, 7, 8, 1, 81152, "0")]
    public void Profiles_MatchTheReferenceGeometry(string product, string name, int id, int compute, int memory, int max, int mib, string starts)
    {
        var profile = GpuCatalog.Default.Products.Single(p => p.Name == product).FindProfile(name)!;

        Assert.Equal((id, compute, memory, max, mib, starts),
            (profile.GiProfileId, profile.ComputeSlices, profile.MemorySlices, profile.MaxCount, profile.MemoryMiB, string.Join(",", profile.AllowedStarts)));
    }

    [Fact]
    public void MediaExtensionProfiles_AreNotPlannedAndMapToDotResourceNames()
    {
        var me = GpuCatalog.Default.Resolve("NVIDIA-A100-SXM4-40GB").FindProfile("1g.5gb+me")!;

        Assert.False(me.Plannable);
        Assert.Equal("nvidia.com/mig-1g.5gb.me", me.ResourceName);
    }
}
