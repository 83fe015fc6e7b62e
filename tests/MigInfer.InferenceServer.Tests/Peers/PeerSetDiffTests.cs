using System.Net;
using MigInfer.InferenceServer.Peers;

namespace MigInfer.InferenceServer.Tests.Peers;

public sealed class PeerSetDiffTests
{
    public static TheoryData<string[], string[], string[], string[]> Cases => new()
    {
        // current ids, wanted endpoints, added ids, removed ids
        { [], [], [], [] },
        { [], ["10.0.0.1:8001", "10.0.0.2:8001"], ["10.0.0.1:8001", "10.0.0.2:8001"], [] },
        { ["10.0.0.1:8001", "10.0.0.2:8001"], ["10.0.0.2:8001", "10.0.0.1:8001"], [], [] },
        { ["10.0.0.1:8001", "10.0.0.2:8001"], ["10.0.0.2:8001", "10.0.0.3:8001"], ["10.0.0.3:8001"], ["10.0.0.1:8001"] },
        { ["10.0.0.1:8001"], [], [], ["10.0.0.1:8001"] },
        { [], ["10.0.0.1:8001", "10.0.0.1:8001"], ["10.0.0.1:8001"], [] },
        { ["10.0.0.1:8001"], ["10.0.0.1:9001"], ["10.0.0.1:9001"], ["10.0.0.1:8001"] },
        { ["[fd00::1]:8001"], ["fd00::1:8001", "fd00::2:8001"], ["[fd00::2]:8001"], [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Between_AddsNewEndpointsAndRemovesLeftOnesOnly(string[] current, string[] wanted, string[] added, string[] removed)
    {
        var diff = PeerSetDiff.Between(current, wanted.Select(EndPoint));

        Assert.Equal(added, diff.Added.Select(PeerLink.IdOf));
        Assert.Equal(removed, diff.Removed);
        Assert.Equal(added.Length == 0 && removed.Length == 0, diff.IsEmpty);
    }

    /// <summary>The last colon splits host and port, as the command line does.</summary>
    private static DnsEndPoint EndPoint(string text) => new(text[..text.LastIndexOf(':')], int.Parse(text[(text.LastIndexOf(':') + 1)..]));
}
