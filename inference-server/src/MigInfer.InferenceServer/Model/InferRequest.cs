using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Model;

/// <summary>An inference request decoded from either protocol front end.</summary>
/// <param name="ModelName">The model the client addressed.</param>
/// <param name="ModelVersion">The version the client addressed; empty for the served one.</param>
/// <param name="Id">The client's request id, echoed in the answer.</param>
/// <param name="Inputs">The decoded input tensors, in request order.</param>
/// <param name="RequestedOutputs">Output names to answer with; empty for every output.</param>
/// <param name="Timeout">The request's own <c>timeout</c> parameter; null for none.</param>
/// <param name="WarmUp">True for the server's own warm-up requests (<see cref="WarmUpParameter"/>), the only ones served before it is ready.</param>
internal sealed record InferRequest(
    string ModelName,
    string ModelVersion,
    string Id,
    IReadOnlyList<TensorData> Inputs,
    IReadOnlyList<string> RequestedOutputs,
    TimeSpan? Timeout,
    bool WarmUp = false)
{
    /// <summary>The boolean request parameter that marks a warm-up request.</summary>
    public const string WarmUpParameter = "miginfer.warm_up";
}
