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
        return new(options.ModelName, options.ModelVersion, options.SliceProfile, engine.ExecutionProvider, engine.State == EngineState.Ready, device, Observed(engine));
    }

    /// <summary>The buckets of this slice's own profile with at least one measured execution, ascending.</summary>
    private static IReadOnlyList<ObservedLatency> Observed(InferenceEngine engine)
    {
        if (engine.LatencyModel is not { } model || !model.TryResolve(engine.Options.SliceProfile, out var profile))
        {
            return [];
        }

        return [.. model.GetStats(profile).Select(s => new ObservedLatency(
            s.MaxBatch,
            Math.Round(model.Predict(profile, s.MaxBatch).TotalMilliseconds, 2),
            s.Observations,
            Math.Round(s.MeanAbsoluteRelativeError * 100, 1)))];
    }
}
