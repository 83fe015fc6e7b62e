using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Model;

/// <summary>The answer to one inference: the outputs and the slice that computed them.</summary>
/// <param name="Outputs">Output tensors in the order the caller asked for.</param>
/// <param name="SliceProfile">MIG profile of the slice that executed the request (this server's or a peer's).</param>
internal sealed record InferResult(IReadOnlyList<TensorData> Outputs, string SliceProfile)
{
    /// <summary>Name of the response parameter that carries <see cref="SliceProfile"/>.</summary>
    public const string SliceProfileParameter = "miginfer.slice_profile";
}
