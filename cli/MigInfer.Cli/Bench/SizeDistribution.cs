using System.Globalization;

namespace MigInfer.Cli.Bench;

/// <summary>
/// Request sizes for the load generator: <c>fixed:8</c>, <c>lognormal:median,sigma[,max]</c> or weighted
/// sizes <c>1:60,8:30,32:10</c>. Draws are capped at the model's max batch.
/// </summary>
internal sealed class SizeDistribution
{
    private readonly Func<Random, int> _draw;

    private SizeDistribution(string text, Func<Random, int> draw)
    {
        Text = text;
        _draw = draw;
    }

    public string Text { get; }

    public int Draw(Random random, int max) => Math.Clamp(_draw(random), 1, Math.Max(1, max));

    public static SizeDistribution Parse(string text)
    {
        var bad = new FormatException($"--sizes {text} is not fixed:N, lognormal:median,sigma[,max] or size:weight,size:weight");
        if (text.StartsWith("fixed:", StringComparison.Ordinal))
        {
            var n = Number(text[6..], bad);
            return n >= 1 ? new SizeDistribution(text, _ => (int)n) : throw bad;
        }

        if (text.StartsWith("lognormal:", StringComparison.Ordinal))
        {
            var parts = text[10..].Split(',').Select(p => Number(p, bad)).ToArray();
            if (parts.Length is < 2 or > 3 || parts[0] < 1 || parts[1] <= 0)
            {
                throw bad;
            }

            var (mu, sigma, max) = (Math.Log(parts[0]), parts[1], parts.Length == 3 ? (int)parts[2] : int.MaxValue);
            return new SizeDistribution(text, r => Math.Min(max, (int)Math.Round(Math.Exp(mu + (sigma * Normal(r))))));
        }

        var weighted = text.Split(',').Select(p => p.Split(':')).Select(p => p.Length == 2 ? (Size: (int)Number(p[0], bad), Weight: Number(p[1], bad)) : throw bad).ToArray();
        var total = weighted.Sum(w => w.Weight);
        if (weighted.Any(w => w.Size < 1 || w.Weight < 0) || total <= 0)
        {
            throw bad;
        }

        return new SizeDistribution(text, r =>
        {
            var x = r.NextDouble() * total;
            foreach (var (size, weight) in weighted)
            {
                x -= weight;
                if (x < 0)
                {
                    return size;
                }
            }

            return weighted[^1].Size;
        });
    }

    private static double Number(string text, FormatException bad) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw bad;

    /// <summary>A standard normal draw (Box-Muller).</summary>
    private static double Normal(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}
