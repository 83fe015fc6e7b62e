namespace MigInfer.Operator.Rendering;

/// <summary>One planned slice that needs a pod: where it is and which slices of the same service are its peers.</summary>
internal sealed record SliceAssignment(string Node, int Gpu, int Start, string Profile, IReadOnlyList<string> PeerPods);
