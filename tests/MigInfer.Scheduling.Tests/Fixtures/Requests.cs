namespace MigInfer.Scheduling.Tests.Fixtures;

/// <summary>Request handles for scheduler tests; times in milliseconds.</summary>
internal static class Requests
{
    public static readonly ShapeKey ShapeA = ShapeKey.Of([3, 224, 224]);
    public static readonly ShapeKey ShapeB = ShapeKey.Of([3, 112, 112]);

    public static RequestHandle Make(long id, int samples, double arrivalMs, double deadlineMs, ShapeKey? shape = null) =>
        new(id, samples, shape ?? ShapeA, TestProfiles.Ms(arrivalMs), TestProfiles.Ms(deadlineMs));
}
