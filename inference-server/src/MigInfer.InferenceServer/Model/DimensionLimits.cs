using System.Globalization;

namespace MigInfer.InferenceServer.Model;

/// <summary>
/// The longest a request may make a variable dimension past the first, by symbolic name: a BERT whose
/// position table has 512 rows cannot run a sequence of 513. The model declares its limits (ONNX metadata
/// <see cref="MetadataKey"/>, <c>sequence=512</c>); the server's <c>--max-dims</c> adds to them and wins for the
/// names it gives. A request past a limit is INVALID_ARGUMENT naming the input, the axis and both lengths,
/// where ONNX Runtime would fail the execution; and the warm-up runs the longest shapes, so that the first long
/// requests after a start run as fast as later ones.
/// </summary>
internal sealed class DimensionLimits
{
    /// <summary>The ONNX <c>metadata_props</c> key a model declares its limits under: <c>name=length</c>, comma-separated.</summary>
    public const string MetadataKey = "miginfer.max_dims";

    public static readonly DimensionLimits None = new([], new Dictionary<string, long>(StringComparer.Ordinal));

    private DimensionLimits(LimitedAxis[][] inputs, IReadOnlyDictionary<string, long> bySymbol)
    {
        Inputs = inputs;
        BySymbol = bySymbol;
    }

    /// <summary>True when no dimension is limited.</summary>
    public bool IsEmpty => BySymbol.Count == 0;

    /// <summary>Per input, in model order, its limited axes (never axis 0).</summary>
    public IReadOnlyList<LimitedAxis[]> Inputs { get; }

    /// <summary>The limits by symbolic dimension name.</summary>
    public IReadOnlyDictionary<string, long> BySymbol { get; }

    /// <summary>The limits as <c>--max-dims</c> takes them, in name order.</summary>
    public override string ToString() =>
        string.Join(',', BySymbol.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Parses <c>name=length,name=length</c> (lengths of at least 1); null when the text is not of that form.</summary>
    public static IReadOnlyDictionary<string, long>? Parse(string text)
    {
        var limits = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0
                || !long.TryParse(entry.AsSpan(equals + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || length < 1
                || !limits.TryAdd(entry[..equals].Trim(), length))
            {
                return null;
            }
        }

        return limits.Count > 0 ? limits : null;
    }

    /// <summary>
    /// The limits of a model: those it declares (<paramref name="declared"/>, the metadata value or null), then the
    /// server's (<paramref name="configured"/>, described by <paramref name="configuredSource"/> in errors). A limit
    /// on a name that no input has past its first axis is an error, as is a declaration that does not parse.
    /// </summary>
    public static DimensionLimits Create(string? declared, IReadOnlyDictionary<string, long> configured, string configuredSource, IReadOnlyList<(string Name, IReadOnlyList<string> Symbols)> inputs)
    {
        var limits = new Dictionary<string, long>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(declared))
        {
            var source = $"model metadata {MetadataKey} = '{declared}'";
            var parsed = Parse(declared) ?? throw new NotSupportedException($"{source} is not a comma-separated list of dimension=length with lengths of at least 1");
            Add(parsed, source);
        }

        Add(configured, configuredSource);
        if (limits.Count == 0)
        {
            return None;
        }

        LimitedAxis[] Axes(IReadOnlyList<string> symbols) =>
            [.. symbols.Select((s, axis) => (Symbol: s, Axis: axis)).Where(a => a.Axis > 0 && limits.ContainsKey(a.Symbol)).Select(a => new LimitedAxis(a.Axis, a.Symbol, limits[a.Symbol]))];
        return new DimensionLimits([.. inputs.Select(i => Axes(i.Symbols))], limits);

        void Add(IReadOnlyDictionary<string, long> given, string source)
        {
            foreach (var (name, length) in given)
            {
                if (!inputs.Any(i => i.Symbols.Skip(1).Contains(name)))
                {
                    var batch = inputs.Any(i => i.Symbols.Count > 0 && i.Symbols[0] == name);
                    throw new NotSupportedException(
                        $"{source}: '{name}' is " +
                        (batch ? "the batch dimension, which --max-batch-size limits" : $"not a symbolic dimension of any input past the first (inputs: {SymbolicShapes.Describe(inputs)})"));
                }

                limits[name] = length;
            }
        }
    }
}

/// <summary>An axis of an input whose length is the symbolic dimension <paramref name="Symbol"/>, at most <paramref name="Max"/>.</summary>
internal readonly record struct LimitedAxis(int Axis, string Symbol, long Max);
