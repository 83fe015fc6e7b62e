namespace MigInfer.Cli.Local;

/// <summary>One slice server: where the plan put it and where it listens.</summary>
internal sealed record LocalSlice(string Profile, string Node, int Gpu, int Start, string Http, string Grpc, string Metrics, int Pid);
