namespace MigInfer.Cli.Bench;

/// <summary>Samples and executions a slice profile ran during a benchmark, and the mean batch.</summary>
internal sealed record ProfileShare(string Profile, int Slices, double Samples, double Executions)
{
    public double MeanBatch => Executions == 0 ? 0 : Math.Round(Samples / Executions, 2);
}
