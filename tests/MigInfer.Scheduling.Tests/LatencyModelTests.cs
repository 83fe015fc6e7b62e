using MigInfer.Scheduling.Tests.Fixtures;
using static MigInfer.Scheduling.Tests.Fixtures.TestProfiles;

namespace MigInfer.Scheduling.Tests;

public class LatencyModelTests
{
    private static LatencyModel Simple() => new(SimpleTable());

    [Theory]
    [InlineData(1, 10.0)]
    [InlineData(4, 16.0)]
    [InlineData(8, 24.0)]
    [InlineData(2, 12.0)]
    [InlineData(3, 14.0)]
    [InlineData(6, 20.0)]
    public void PointsAndBetweenThem_AreInterpolatedLinearly(int batch, double expectedMs)
    {
        var model = Simple();
        Assert.Equal(expectedMs, model.Predict(model.Resolve("3g.20gb"), batch).TotalMilliseconds, 3);
    }

    [Theory]
    [InlineData(16, 48.0)]
    [InlineData(12, 36.0)]
    [InlineData(80, 240.0)]
    public void BeyondTheLargestPoint_ScalesLinearlyWithBatch(int batch, double expectedMs)
    {
        var model = Simple();
        Assert.Equal(expectedMs, model.Predict(model.Resolve("3g.20gb"), batch).TotalMilliseconds, 3);
    }

    [Fact]
    public void BelowTheSmallestPoint_UsesTheSmallestPoint()
    {
        var model = new LatencyModel(new Dictionary<string, IReadOnlyDictionary<int, double>>
        {
            ["1g.5gb"] = new Dictionary<int, double> { [4] = 8, [8] = 12 },
        });
        Assert.Equal(8.0, model.Predict(model.Resolve("1g.5gb"), 1).TotalMilliseconds, 3);
    }

    [Fact]
    public void UnknownProfile_ThrowsNamingIt()
    {
        var ex = Assert.Throws<KeyNotFoundException>(() => Simple().Resolve("9g.99gb"));
        Assert.Contains("9g.99gb", ex.Message);
    }

    [Fact]
    public void HandleFromAnotherModel_IsRefused()
    {
        var other = Simple().Resolve("3g.20gb");
        Assert.Throws<ArgumentException>(() => Simple().Predict(other, 1));
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(2, -1.0)]
    [InlineData(2, double.NaN)]
    public void InvalidSeedPoint_IsRejected(int batch, double ms)
    {
        Assert.Throws<ArgumentException>(() => new LatencyModel(new Dictionary<string, IReadOnlyDictionary<int, double>>
        {
            ["1g.5gb"] = new Dictionary<int, double> { [batch] = ms },
        }));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(5, 3)]
    [InlineData(8, 3)]
    [InlineData(9, 4)]
    [InlineData(1 << 20, 16)]
    public void Buckets_ArePowersOfTwo(int batch, int bucket) => Assert.Equal(bucket, ProfileCurve.BucketOf(batch));

    [Fact]
    public void OnlineCorrection_ConvergesToMeasuredLatency()
    {
        var model = Simple();
        var p = model.Resolve("3g.20gb");
        for (int i = 0; i < 60; i++)
        {
            model.Observe(p, 8, Ms(36));
        }

        Assert.Equal(36.0, model.Predict(p, 8).TotalMilliseconds, 1);
        Assert.Equal(1.5, model.CorrectionFactor(p, 8), 3);
        Assert.Equal(1.5, model.CorrectionFactor(p, 7), 3);
        Assert.Equal(1.0, model.CorrectionFactor(p, 4), 3);
        Assert.Equal(24.0, model.PredictSeed(p, 8).TotalMilliseconds, 3);
    }

    [Fact]
    public void ErrorMetric_FallsAsCorrectionConverges()
    {
        var model = new LatencyModel(SimpleTable(), new LatencyModelOptions { ErrorWindow = 8 });
        var p = model.Resolve("3g.20gb");
        model.Observe(p, 4, Ms(32));
        double first = model.MeanAbsoluteRelativeError(p, 4);
        Assert.Equal(0.5, first, 3);
        for (int i = 0; i < 100; i++)
        {
            model.Observe(p, 4, Ms(32));
        }

        Assert.True(model.MeanAbsoluteRelativeError(p, 4) < 0.01);
        var stats = Assert.Single(model.GetStats());
        Assert.Equal(("3g.20gb", 4, 101L), (stats.Profile, stats.MaxBatch, stats.Observations));
    }

    [Fact]
    public void Memory_IsBoundedByTheErrorWindow()
    {
        var model = new LatencyModel(SimpleTable(), new LatencyModelOptions { ErrorWindow = 16 });
        var p = model.Resolve("3g.20gb");
        for (int i = 0; i < 10_000; i++)
        {
            model.Observe(p, 1 + (i % 64), Ms(10 + (i % 7)));
        }

        var curve = model.Curve(p);
        for (int bucket = 0; bucket < ProfileCurve.BucketCount; bucket++)
        {
            Assert.True(curve.RetainedErrorSamples(bucket) <= 16);
        }

        Assert.Equal(10_000L, model.GetStats().Sum(s => s.Observations));
    }

    [Fact]
    public void OutlierMeasurement_IsClampedSoOneSampleCannotRunAway()
    {
        var model = new LatencyModel(SimpleTable(), new LatencyModelOptions { Smoothing = 1.0, MaxRatio = 4 });
        var p = model.Resolve("3g.20gb");
        model.Observe(p, 1, TimeSpan.FromSeconds(100));
        Assert.Equal(40.0, model.Predict(p, 1).TotalMilliseconds, 3);
    }

    [Fact]
    public void FixtureTable_SmallBatchesAreEqualAcrossSlicesAndLargeOnesScale()
    {
        var model = TestProfiles.Model();
        var one = model.Resolve("1g.10gb");
        var three = model.Resolve("3g.40gb");
        Assert.Equal(model.Predict(one, 1), model.Predict(three, 1));
        Assert.True(model.Predict(one, 16) > 2 * model.Predict(three, 16));
    }

    private static Dictionary<string, IReadOnlyDictionary<int, double>> SimpleTable() => new()
    {
        ["3g.20gb"] = new Dictionary<int, double> { [1] = 10, [4] = 16, [8] = 24 },
    };
}
