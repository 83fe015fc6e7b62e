using MigInfer.Planning.Catalog;
using MigInfer.Planning.Layouts;

namespace MigInfer.Planning.Tests;

public sealed class LayoutTests
{
    private static readonly GpuProduct A100 = GpuCatalog.Default.Resolve("NVIDIA-A100-SXM4-40GB");

    private static readonly MigProfile[] BaseProfiles =
        new[] { "1g.5gb", "2g.10gb", "3g.20gb", "4g.20gb", "7g.40gb" }.Select(n => A100.FindProfile(n)!).ToArray();

    private static MigLayout Parse(string text) =>
        MigLayout.Create(A100, text.Split(' ').Select(t => t.Split('@')).Select(p => new MigSlice(A100.FindProfile(p[0])!, int.Parse(p[1]))));

    [Fact]
    public void BaseProfiles_HaveExactlyTheNineteenMaximalLayoutsOfTheReference()
    {
        string[] reference =
        [
            "7g.40gb@0", "4g.20gb@0 3g.20gb@4", "4g.20gb@0 2g.10gb@4 1g.5gb@6", "4g.20gb@0 1g.5gb@4 1g.5gb@5 1g.5gb@6",
            "3g.20gb@0 3g.20gb@4", "3g.20gb@0 2g.10gb@4 1g.5gb@6", "3g.20gb@0 1g.5gb@4 1g.5gb@5 1g.5gb@6",
            "2g.10gb@0 2g.10gb@2 3g.20gb@4", "2g.10gb@0 1g.5gb@2 1g.5gb@3 3g.20gb@4", "1g.5gb@0 1g.5gb@1 2g.10gb@2 3g.20gb@4",
            "1g.5gb@0 1g.5gb@1 1g.5gb@2 1g.5gb@3 3g.20gb@4", "2g.10gb@0 2g.10gb@2 2g.10gb@4 1g.5gb@6",
            "2g.10gb@0 2g.10gb@2 1g.5gb@4 1g.5gb@5 1g.5gb@6", "2g.10gb@0 1g.5gb@2 1g.5gb@3 2g.10gb@4 1g.5gb@6",
            "1g.5gb@0 1g.5gb@1 2g.10gb@2 2g.10gb@4 1g.5gb@6", "2g.10gb@0 1g.5gb@2 1g.5gb@3 1g.5gb@4 1g.5gb@5 1g.5gb@6",
            "1g.5gb@0 1g.5gb@1 2g.10gb@2 1g.5gb@4 1g.5gb@5 1g.5gb@6", "1g.5gb@0 1g.5gb@1 1g.5gb@2 1g.5gb@3 2g.10gb@4 1g.5gb@6",
            "1g.5gb@0 1g.5gb@1 1g.5gb@2 1g.5gb@3 1g.5gb@4 1g.5gb@5 1g.5gb@6",
        ];

        var maximal = LayoutEnumerator.Maximal(A100, BaseProfiles);

        Assert.Equal(reference.Select(r => Parse(r).Key).Order(), maximal.Select(l => l.Key).Order());
        Assert.Equal(14, maximal.Select(l => string.Join(',', l.Slices.Select(s => s.Profile.Name).Order())).Distinct().Count());
    }

    [Fact]
    public void WithTheTwoMemorySlice1g_ThereAreSeventyEightMaximalLayouts()
    {
        var profiles = BaseProfiles.Append(A100.FindProfile("1g.10gb")!).ToArray();

        Assert.Equal(78, LayoutEnumerator.Maximal(A100, profiles).Count);
    }

    [Fact]
    public void ThreeGPlusThreeGPlusOneG_CannotBePlacedAnywhere()
    {
        var g3 = A100.FindProfile("3g.20gb")!;
        var g1 = A100.FindProfile("1g.5gb")!;

        var placements = from a in g3.AllowedStarts
                         from b in g3.AllowedStarts
                         from c in g1.AllowedStarts
                         select new MigSlice[] { new(g3, a), new(g3, b), new(g1, c) };

        Assert.All(placements, p => Assert.False(MigLayout.TryCreate(A100, p, out _, out _)));
    }

    [Fact]
    public void TwoGTwoGThreeG_IsValidOnlyAsTwoGAtZeroTwoGAtTwoThreeGAtFour()
    {
        var valid = LayoutEnumerator.All(A100, BaseProfiles)
            .Where(l => l.Slices.Select(s => s.Profile.Name).Order().SequenceEqual(["2g.10gb", "2g.10gb", "3g.20gb"]))
            .Select(l => l.Key)
            .ToList();

        Assert.Equal(["2g.10gb@0 2g.10gb@2 3g.20gb@4"], valid);
    }

    [Theory]
    [InlineData("3g.20gb@1", "may start only at 0,4")]
    [InlineData("4g.20gb@0 2g.10gb@2", "overlap")]
    [InlineData("2g.10gb@6", "may start only at 0,2,4")]
    public void InvalidLayouts_AreRejectedWithTheReason(string text, string reason)
    {
        var slices = text.Split(' ').Select(t => t.Split('@')).Select(p => new MigSlice(A100.FindProfile(p[0])!, int.Parse(p[1])));

        var ex = Assert.Throws<PlanningInputException>(() => MigLayout.Create(A100, slices));

        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void EveryLayout_HasACreationOrderThatNeverDeadEnds()
    {
        foreach (var product in GpuCatalog.Default.Products)
        {
            foreach (var layout in LayoutEnumerator.All(product, product.PlannableProfiles.ToList()))
            {
                var created = new List<MigSlice>();
                foreach (var slice in layout.CreationOrder())
                {
                    created.Add(slice);
                    Assert.True(MigLayout.TryCreate(product, created, out _, out var error), $"{layout} dead-ends at {slice}: {error}");
                }

                Assert.Equal(layout.Slices.Length, created.Count);
            }
        }
    }
}
