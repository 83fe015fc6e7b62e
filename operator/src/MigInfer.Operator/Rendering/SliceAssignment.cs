namespace MigInfer.Operator.Rendering;

/// <summary>
/// One planned slice that needs a pod: where it is. Peers are not part of it: the server finds them through the
/// headless Service's DNS name, so a pod never has to be recreated because its service gained or lost a slice.
/// </summary>
internal sealed record SliceAssignment(string Node, int Gpu, int Start, string Profile);
