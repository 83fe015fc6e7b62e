using k8s.Models;
using MigInfer.Operator.Controllers;

namespace MigInfer.Operator.Tests.Controllers;

public sealed class ObjectCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void MarkDeleting_KeepsTheObjectAsTerminatingWithoutTouchingTheOneTheCallerHolds()
    {
        var cache = new ObjectCache<V1Pod>();
        var pod = Pod("7");
        cache.Set(pod);

        cache.MarkDeleting(pod, Now);

        Assert.Equal(Now.UtcDateTime, cache.Get("ns/p")!.Metadata.DeletionTimestamp);
        Assert.Equal("7", cache.Get("ns/p")!.Metadata.ResourceVersion);
        Assert.Null(pod.Metadata.DeletionTimestamp);
    }

    [Theory]
    [InlineData(null, "the watch already reported it gone")]
    [InlineData("8", "the watch already brought a later state")]
    public void MarkDeleting_NeverOverridesWhatTheWatchBroughtSince(string? cached, string why)
    {
        var cache = new ObjectCache<V1Pod>();
        if (cached is not null)
        {
            cache.Set(Pod(cached));
        }

        cache.MarkDeleting(Pod("7"), Now);

        Assert.True(cached is null ? cache.Get("ns/p") is null : cache.Get("ns/p")!.Metadata.DeletionTimestamp is null, why);
    }

    private static V1Pod Pod(string resourceVersion) =>
        new() { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "ns", ResourceVersion = resourceVersion } };
}
