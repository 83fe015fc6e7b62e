using Grpc.Core;

namespace MigInfer.Cli.Bench;

/// <summary>
/// One request of a benchmark: when it was sent (from the start), its size, its latency, its status,
/// and the slice profile that executed it (the server's <c>miginfer.slice_profile</c> response parameter).
/// </summary>
internal readonly record struct RequestRecord(double SentMs, int Size, double LatencyMs, StatusCode Status, string? Profile);
