namespace MigInfer.OnnxModels;

/// <summary>
/// One dimension of a tensor shape: either a fixed size or a named symbolic size
/// (<c>batch</c>, <c>sequence</c>) that ONNX Runtime reports as -1.
/// </summary>
public readonly record struct Dimension
{
    /// <summary>The symbolic first dimension of every batchable zoo model.</summary>
    public const string BatchSymbol = "batch";

    /// <summary>The symbolic sequence length of the BERT-shaped encoder.</summary>
    public const string SequenceSymbol = "sequence";

    private Dimension(long? size, string? symbol)
    {
        Size = size;
        Symbol = symbol;
    }

    /// <summary>The fixed size, or null when the dimension is symbolic.</summary>
    public long? Size { get; }

    /// <summary>The symbol, or null when the dimension is fixed.</summary>
    public string? Symbol { get; }

    public bool IsSymbolic => Symbol is not null;

    /// <summary>A symbolic batch dimension.</summary>
    public static Dimension Batch { get; } = Symbolic(BatchSymbol);

    /// <summary>A symbolic sequence dimension.</summary>
    public static Dimension Sequence { get; } = Symbolic(SequenceSymbol);

    public static Dimension Fixed(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return new Dimension(size, null);
    }

    public static Dimension Symbolic(string symbol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        return new Dimension(null, symbol);
    }

    /// <summary>The size ONNX Runtime reports in its metadata: the fixed size, or -1 when symbolic.</summary>
    public long ToOnnxRuntimeSize() => Size ?? -1;

    public override string ToString() => Symbol ?? Size!.Value.ToString();
}
