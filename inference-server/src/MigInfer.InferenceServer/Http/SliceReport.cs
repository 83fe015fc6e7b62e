using MigInfer.InferenceServer.Device;
using MigInfer.InferenceServer.Model;

namespace MigInfer.InferenceServer.Http;

/// <summary>
/// What <c>GET /v2/slice</c> answers: which model runs on which slice profile and device, and the
/// latency this slice has measured, for the operator (the MIG device for exact drains, the profile for
/// the next plan). It answers in every state; before the model is ready the observed profile is empty.
/// </summary>
internal sealed record SliceReport(
    string Model,
    string Version,
    string SliceProfile,
    string? ExecutionProvider,
    bool Ready,
    SliceDevice? Device,
    IReadOnlyList<ObservedLatency> ObservedProfile)
{
    public static SliceReport Of(InferenceEngine engine, SliceDevice? device)
    {
        var options = engine.Options;
        return new(options.ModelName, options.ModelVersion, options.SliceProfile, engine.ExecutionProvider, engine.State == EngineState.Ready, device, engine.ObservedProfile());
    }
}
