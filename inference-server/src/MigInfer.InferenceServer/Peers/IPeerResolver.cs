using System.Net;

namespace MigInfer.InferenceServer.Peers;

/// <summary>Finds the endpoints of the service's ready slices (this one may be among them).</summary>
internal interface IPeerResolver
{
    /// <summary>The current endpoints; throws when they cannot be found now (name unknown, timeout).</summary>
    Task<IReadOnlyList<IPEndPoint>> ResolveAsync(CancellationToken cancellationToken);
}
