namespace MigInfer.Cli.Local;

/// <summary>One service of a running local mode.</summary>
internal sealed record LocalService(string Name, string Model, double SloMs, int MaxBatchSize, List<LocalSlice> Slices);
