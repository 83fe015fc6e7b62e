namespace MigInfer.InferenceServer.Model;

/// <summary>An axis of a tensor (0 is the batch) whose length is the symbolic dimension <paramref name="Symbol"/>.</summary>
internal readonly record struct PaddedAxis(int Axis, string Symbol);
