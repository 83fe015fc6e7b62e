using System.Text.Json;
using CsCheck;
using MigInfer.Operator.Probing;
using MigInfer.Operator.Resources;

namespace MigInfer.Operator.Tests.Probing;

public sealed class ObservedProfilesTests
{
    [Fact]
    public void ServerReport_ParsesTheV2SliceContract()
    {
        const string json = """
            { "model": "resnet50", "version": "1", "sliceProfile": "3g.20gb", "executionProvider": "cuda", "ready": true,
              "device": { "visibleDevices": "MIG-4f5e", "migUuid": "MIG-4f5e", "gpuUuid": "GPU-1", "gpuIndex": 3, "gpuInstanceId": 2 },
              "observedProfile": [ { "batch": 1, "ms": 6.2, "samples": 1234, "errorPct": 4.1 } ] }
            """;

        var report = JsonSerializer.Deserialize<SliceReport>(json)!;

        Assert.Equal("3/MIG-4f5e", report.MigDevice);
        Assert.Equal(new ObservedPoint { Batch = 1, Ms = 6.2, Samples = 1234, ErrorPct = 4.1 }, Assert.Single(report.ObservedProfile!));
    }

    [Theory]
    [InlineData("""{ "sliceProfile": "1g.5gb", "ready": false, "device": null, "observedProfile": [] }""")]
    [InlineData("""{ "sliceProfile": "1g.5gb", "ready": true, "device": { "migUuid": null, "gpuIndex": null } }""")]
    public void ReportWithoutGpuIndex_AsksForNoAnnotation(string json) =>
        Assert.Null(JsonSerializer.Deserialize<SliceReport>(json)!.MigDevice);

    [Fact]
    public void Aggregate_WeightsBySamplesPerProfileAndBatch_Sorted()
    {
        var reports = new[]
        {
            Report("3g.20gb", (8, 10, 100), (1, 4, 1000)),
            Report("3g.20gb", (1, 6, 3000)),
            Report("1g.5gb", (1, 9, 10), (2, 1, 0)),
            Report(null, (1, 100, 100)),
        };

        var observed = ObservedProfiles.Aggregate(reports);

        Assert.Equal(["1g.5gb/1 9 10 1", "3g.20gb/1 5.5 4000 2", "3g.20gb/8 10 100 1"], observed.Select(Text));
    }

    [Theory]
    [InlineData(5.0, 1000, 5.2, 1020, false)]
    [InlineData(5.0, 1000, 5.3, 1020, true)]
    [InlineData(5.0, 1000, 4.7, 1020, true)]
    [InlineData(5.0, 1000, 5.0, 1023, false)]
    [InlineData(5.0, 1000, 5.0, 1024, true)]
    [InlineData(5.0, 2047, 5.0, 2048, true)]
    public void Stabilize_RewritesOnlyBeyondFivePercentOrANewPowerOfTwo(double ms, long samples, double newMs, long newSamples, bool rewritten)
    {
        var previous = new List<ObservedPointStatus> { Point(ms, samples) };

        var kept = ObservedProfiles.Stabilize(previous, [Point(newMs, newSamples)]);

        Assert.Equal(rewritten, !ReferenceEquals(previous, kept));
        Assert.Equal(rewritten ? newMs : ms, kept![0].Ms);
    }

    [Fact]
    public void Stabilize_RewritesWhenPointsOrSlicesChange_AndKeepsTheLastProfileWhenNothingReported()
    {
        var previous = new List<ObservedPointStatus> { Point(5, 1000) };

        Assert.NotSame(previous, ObservedProfiles.Stabilize(previous, [Point(5, 1000, slices: 2)]));
        Assert.NotSame(previous, ObservedProfiles.Stabilize(previous, [Point(5, 1000), Point(5, 1000, batch: 8)]));
        Assert.Same(previous, ObservedProfiles.Stabilize(previous, []));
        Assert.Null(ObservedProfiles.Stabilize(null, []));
    }

    [Fact]
    public void Aggregate_MeanLiesWithinTheReportsAndSamplesAddUp()
    {
        var point = Gen.Select(Gen.Int[1, 4], Gen.Double[0.1, 100], Gen.Long[1, 1_000_000]);
        Gen.Select(Gen.Bool.Select(b => b ? "1g.5gb" : "3g.20gb"), point.Array[1, 4]).Array[1, 6].Sample(slices =>
        {
            var reports = slices.Select(s => Report(s.Item1, [.. s.Item2.DistinctBy(p => p.Item1)])).ToList();

            foreach (var entry in ObservedProfiles.Aggregate(reports))
            {
                var inputs = reports.Where(r => r.SliceProfile == entry.Profile).SelectMany(r => r.ObservedProfile!).Where(p => p.Batch == entry.Batch).ToList();
                Assert.Equal(inputs.Sum(p => p.Samples), entry.Samples);
                Assert.Equal(inputs.Count, entry.Slices);
                Assert.InRange(entry.Ms!.Value, inputs.Min(p => p.Ms) - 0.0006, inputs.Max(p => p.Ms) + 0.0006);
            }
        });
    }

    private static SliceReport Report(string? profile, params (int Batch, double Ms, long Samples)[] points) => new()
    {
        SliceProfile = profile,
        Ready = true,
        ObservedProfile = [.. points.Select(p => new ObservedPoint { Batch = p.Batch, Ms = p.Ms, Samples = p.Samples })],
    };

    private static ObservedPointStatus Point(double ms, long samples, int slices = 1, int batch = 1) =>
        new() { Profile = "3g.20gb", Batch = batch, Ms = ms, Samples = samples, Slices = slices };

    private static string Text(ObservedPointStatus p) =>
        $"{p.Profile}/{p.Batch} {p.Ms!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)} {p.Samples} {p.Slices}";
}
