namespace MigInfer.OnnxModels.Graph;

/// <summary>A tensor in a graph under construction, with its inferred element type and shape.</summary>
internal sealed record Value(string Name, TensorElementType ElementType, IReadOnlyList<Dimension> Shape)
{
    public int Rank => Shape.Count;

    public Dimension this[int axis] => Shape[axis < 0 ? Shape.Count + axis : axis];

    /// <summary>The size of a fixed dimension; the builders only ask for dimensions they made fixed.</summary>
    public long Size(int axis) =>
        this[axis].Size ?? throw new InvalidOperationException($"Dimension {axis} of '{Name}' is symbolic.");
}
