namespace MigInfer.Scheduling.Tests.Fixtures;

/// <summary>Builds router candidates against the <see cref="TestProfiles"/> model.</summary>
internal static class Slices
{
    public static SliceCandidate Of(
        LatencyModel model,
        string id,
        string profile,
        double backlogMs = 0,
        bool local = false,
        double transferMs = 0,
        int maxBatch = 32,
        bool ready = true) =>
        new(id, model.Resolve(profile), SliceProfiles.ParseComputeSize(profile), local, TestProfiles.Ms(transferMs), TestProfiles.Ms(backlogMs), maxBatch, ready);
}
