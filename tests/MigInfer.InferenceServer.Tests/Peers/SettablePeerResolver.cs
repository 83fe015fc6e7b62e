using System.Net;
using MigInfer.InferenceServer.Peers;

namespace MigInfer.InferenceServer.Tests.Peers;

/// <summary>A resolver the test steers: it answers the endpoints last set, or throws the failure last set.</summary>
internal sealed class SettablePeerResolver : IPeerResolver
{
    private readonly Lock _gate = new();
    private IReadOnlyList<IPEndPoint> _endPoints = [];
    private Exception? _failure;

    /// <summary>Resolutions answered so far, failed ones included.</summary>
    public int Calls { get; private set; }

    public void Set(params IPEndPoint[] endPoints)
    {
        lock (_gate)
        {
            (_endPoints, _failure) = (endPoints, null);
        }
    }

    public void Fail(Exception failure)
    {
        lock (_gate)
        {
            _failure = failure;
        }
    }

    public Task<IReadOnlyList<IPEndPoint>> ResolveAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Calls++;
            return _failure is { } failure ? Task.FromException<IReadOnlyList<IPEndPoint>>(failure) : Task.FromResult(_endPoints);
        }
    }
}
