namespace MigInfer.InferenceServer.Bench;

internal static class Medians
{
    /// <summary>The median of <paramref name="values"/>; the mean of the middle two for an even count.</summary>
    public static double Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
