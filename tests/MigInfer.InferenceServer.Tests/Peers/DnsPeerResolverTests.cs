using System.Net;
using MigInfer.InferenceServer.Peers;
using MigInfer.InferenceServer.Tests.Fixtures;

namespace MigInfer.InferenceServer.Tests.Peers;

public sealed class DnsPeerResolverTests
{
    [Fact]
    public async Task Localhost_ResolvesToLoopbackWithTheGivenPortInOneFamily()
    {
        var found = await new DnsPeerResolver(new DnsEndPoint("localhost", 8001)).ResolveAsync(CancellationToken.None).WithTimeout();

        Assert.NotEmpty(found);
        Assert.All(found, e => Assert.True(IPAddress.IsLoopback(e.Address) && e.Port == 8001, $"{e} is not loopback port 8001"));
        Assert.Single(found.Select(e => e.AddressFamily).Distinct());
    }
}
