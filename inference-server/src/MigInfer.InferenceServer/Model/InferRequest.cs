using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Model;

/// <summary>An inference request decoded from either protocol front end.</summary>
/// <param name="ModelName">The model the client addressed.</param>
/// <param name="ModelVersion">The version the client addressed; empty for the served one.</param>
/// <param name="Id">The client's request id, echoed in the answer.</param>
/// <param name="Inputs">The decoded input tensors, in request order.</param>
/// <param name="RequestedOutputs">Output names to answer with; empty for every output.</param>
/// <param name="Timeout">The request's own <c>timeout</c> parameter; null for none.</param>
internal sealed record InferRequest(
    string ModelName,
    string ModelVersion,
    string Id,
    IReadOnlyList<TensorData> Inputs,
    IReadOnlyList<string> RequestedOutputs,
    TimeSpan? Timeout);
