using System.Net;
using MigInfer.InferenceServer.Peers;

namespace MigInfer.InferenceServer.Tests.Peers;

public sealed class PeerSelfFilterTests
{
    private const int GrpcPort = 8001;

    /// <summary>This host's interface addresses in the table below: a pod IP and an IPv6 address.</summary>
    private static readonly HashSet<IPAddress> Local = [IPAddress.Parse("10.0.3.7"), IPAddress.Parse("fd00::7")];

    [Theory]
    [InlineData("10.0.3.7", GrpcPort, true)]
    [InlineData("127.0.0.1", GrpcPort, true)]
    [InlineData("127.0.0.2", GrpcPort, true)]
    [InlineData("::1", GrpcPort, true)]
    [InlineData("fd00::7", GrpcPort, true)]
    [InlineData("::ffff:10.0.3.7", GrpcPort, true)]
    [InlineData("10.0.3.8", GrpcPort, false)]
    [InlineData("fd00::8", GrpcPort, false)]
    [InlineData("10.0.3.7", 9001, false)]
    [InlineData("127.0.0.1", 9001, false)]
    public void Endpoint_IsSelfOnlyWithTheOwnPortAndALocalOrLoopbackAddress(string address, int port, bool self)
    {
        Assert.Equal(self, PeerSelfFilter.IsSelf(new IPEndPoint(IPAddress.Parse(address), port), GrpcPort, Local));
    }

    [Fact]
    public void LocalAddresses_IncludeTheLoopbackInterface()
    {
        Assert.Contains(IPAddress.Loopback, PeerSelfFilter.LocalAddresses());
    }
}
