namespace MigInfer.Cli.Bench;

/// <summary>How many successful requests of one size ran on one slice profile.</summary>
internal sealed record SizeRouting(int Size, string Profile, int Requests);
