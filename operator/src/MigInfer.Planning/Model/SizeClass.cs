namespace MigInfer.Planning.Model;

/// <summary>A request size (samples per request) and the share of requests that have it.</summary>
public readonly record struct SizeClass(int Size, double Weight);
