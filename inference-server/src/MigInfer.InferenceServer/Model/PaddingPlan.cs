namespace MigInfer.InferenceServer.Model;

/// <summary>
/// Which axes of a model's inputs may be zero-padded so that requests of different lengths share a
/// batch (MBS: requests are grouped by power-of-two length bucket, a batch is padded to its longest
/// member), and which output axes are cropped back to each request's length. The model declares it:
/// the metadata entry <see cref="MetadataKey"/> lists symbolic dimension names (comma-separated);
/// every input and output axis with such a name takes part. Padding is opt-in because it is only
/// correct for models that ignore padded positions (an attention mask, for example).
/// </summary>
internal sealed class PaddingPlan
{
    /// <summary>The ONNX <c>metadata_props</c> key the model declares paddable dimensions under.</summary>
    public const string MetadataKey = "miginfer.pad_dims";

    public static readonly PaddingPlan None = new([], new Dictionary<string, PaddedAxis[]>(StringComparer.Ordinal));

    private PaddingPlan(PaddedAxis[][] inputs, Dictionary<string, PaddedAxis[]> outputs)
    {
        Inputs = inputs;
        Outputs = outputs;
        TrailingAxes = [.. inputs.Select(axes => axes.Select(a => a.Axis - 1).ToArray())];
        IsEmpty = inputs.All(a => a.Length == 0);
    }

    /// <summary>True when no input has a paddable axis; read for every request, so computed once.</summary>
    public bool IsEmpty { get; }

    /// <summary>Per input, in model order, the paddable axes (never axis 0, the batch).</summary>
    public IReadOnlyList<PaddedAxis[]> Inputs { get; }

    /// <summary>Per input, the paddable axes counted from axis 1 (what <c>ShapeKey.OfBucketed</c> takes).</summary>
    public IReadOnlyList<int[]> TrailingAxes { get; }

    /// <summary>Per output name, the axes cropped back to each request's length; outputs without one are absent.</summary>
    public IReadOnlyDictionary<string, PaddedAxis[]> Outputs { get; }

    /// <summary>
    /// Builds the plan from the declared names and each tensor's symbolic dimensions (empty strings
    /// for fixed or unnamed ones). A declared name that no input has, or that names the batch axis,
    /// is an error: the model says something about itself that is not true.
    /// </summary>
    public static PaddingPlan Create(string? declared, IReadOnlyList<(string Name, IReadOnlyList<string> Symbols)> inputs, IReadOnlyList<(string Name, IReadOnlyList<string> Symbols)> outputs)
    {
        if (string.IsNullOrWhiteSpace(declared))
        {
            return None;
        }

        var names = declared.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!inputs.Any(i => i.Symbols.Skip(1).Contains(name)))
            {
                var batchOnly = inputs.Any(i => i.Symbols.Count > 0 && i.Symbols[0] == name);
                throw new NotSupportedException(
                    $"model metadata {MetadataKey} = '{declared}': '{name}' is " +
                    (batchOnly ? "the batch dimension, which is never padded" : $"not a symbolic dimension of any input past the first (inputs: {SymbolicShapes.Describe(inputs)})"));
            }
        }

        PaddedAxis[] Axes(IReadOnlyList<string> symbols) =>
            [.. symbols.Select((s, axis) => new PaddedAxis(axis, s)).Where(a => a.Axis > 0 && names.Contains(a.Symbol))];
        return new PaddingPlan(
            [.. inputs.Select(i => Axes(i.Symbols))],
            outputs.Select(o => (o.Name, Axes: Axes(o.Symbols))).Where(o => o.Axes.Length > 0).ToDictionary(o => o.Name, o => o.Axes, StringComparer.Ordinal));
    }
}
