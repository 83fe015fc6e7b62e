using MigInfer.InferenceServer.Model;

namespace MigInfer.InferenceServer.Execution;

/// <summary>A validated request handed to a scheduler.</summary>
/// <param name="Inputs">Inputs in model order; the scheduler reads them and never changes them.</param>
/// <param name="Deadline">When the client stops waiting (gRPC deadline or <c>timeout</c> parameter); null for none.</param>
/// <param name="OnStarted">Called on the executor thread when the request's batch begins executing (a peer tells the forwarding server); null for none.</param>
internal sealed record ScheduledRequest(ValidatedInputs Inputs, DateTimeOffset? Deadline, Action? OnStarted = null);
