using System.Collections.Immutable;
using MigInfer.Planning.Model;

namespace MigInfer.Planning.Documents;

/// <summary>
/// Turns a log-normal request-size distribution into size classes. Sizes are rounded draws of
/// LogNormal(ln median, sigma) capped at max; each class is a power of two (or max) and holds the
/// sizes above the previous class, planned at its upper end, which never under-plans.
/// </summary>
public static class RequestSizeDistribution
{
    public static ImmutableArray<SizeClass> LogNormal(double median, double sigma, int max)
    {
        if (median < 1 || sigma <= 0 || max < 1)
        {
            throw new PlanningInputException($"spec.traffic.lognormal = {{median: {median}, sigma: {sigma}, max: {max}}} needs median >= 1, sigma > 0 and max >= 1");
        }

        var bounds = new List<int>();
        for (var b = 1; b < max; b *= 2)
        {
            bounds.Add(b);
        }

        bounds.Add(max);
        var classes = ImmutableArray.CreateBuilder<SizeClass>();
        var below = 0.0;
        foreach (var bound in bounds)
        {
            // P(round(X) <= bound) = P(X < bound + 0.5); the last class takes the tail above max.
            var cdf = bound == max ? 1.0 : Cdf(bound + 0.5, median, sigma);
            if (cdf - below > 1e-6)
            {
                classes.Add(new SizeClass(bound, cdf - below));
            }

            below = cdf;
        }

        var total = classes.Sum(c => c.Weight);
        return [.. classes.Select(c => c with { Weight = c.Weight / total })];
    }

    private static double Cdf(double x, double median, double sigma) =>
        0.5 * (1 + Erf((Math.Log(x) - Math.Log(median)) / (sigma * Math.Sqrt(2))));

    /// <summary>Abramowitz and Stegun 7.1.26; absolute error below 1.5e-7.</summary>
    private static double Erf(double x)
    {
        var sign = Math.Sign(x);
        x = Math.Abs(x);
        var t = 1 / (1 + (0.3275911 * x));
        var y = 1 - ((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return sign * y;
    }
}
