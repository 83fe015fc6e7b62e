namespace MigInfer.Operator.Controllers;

/// <summary>Exponential backoff with jitter: base × 2^attempt, capped, then scaled by a random factor in [0.5, 1.5).</summary>
internal sealed record Backoff(TimeSpan Base, TimeSpan Max)
{
    public TimeSpan Delay(int attempt, Random random)
    {
        var exponential = Base.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(exponential, Max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + random.NextDouble()));
    }
}
