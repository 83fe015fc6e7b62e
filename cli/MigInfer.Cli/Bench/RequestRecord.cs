using Grpc.Core;

namespace MigInfer.Cli.Bench;

/// <summary>One request of a benchmark: when it was sent (from the start), its size, its latency and its status.</summary>
internal readonly record struct RequestRecord(double SentMs, int Size, double LatencyMs, StatusCode Status);
