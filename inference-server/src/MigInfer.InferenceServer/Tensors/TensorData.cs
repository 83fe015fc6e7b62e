namespace MigInfer.InferenceServer.Tensors;

/// <summary>
/// One named tensor in the server's own form: numeric elements as little-endian row-major bytes
/// (the layout of the protocol's raw form and of ONNX Runtime), BYTES elements as byte strings.
/// </summary>
internal sealed class TensorData
{
    private TensorData(string name, DataType dataType, long[] shape, byte[] raw, byte[][] strings)
    {
        Name = name;
        DataType = dataType;
        Shape = shape;
        Raw = raw;
        Strings = strings;
    }

    public string Name { get; }

    public DataType DataType { get; }

    public long[] Shape { get; }

    /// <summary>Element bytes of a numeric tensor; empty for BYTES.</summary>
    public byte[] Raw { get; }

    /// <summary>Elements of a BYTES tensor; empty for numeric tensors.</summary>
    public byte[][] Strings { get; }

    public long ElementCount => Shapes.ElementCount(Shape);

    public static TensorData Numeric(string name, DataType dataType, long[] shape, byte[] raw)
    {
        if (dataType == DataType.Bytes)
        {
            throw new ArgumentException("BYTES tensors hold strings", nameof(dataType));
        }

        if (raw.LongLength != Shapes.ElementCount(shape) * dataType.ElementSize())
        {
            throw new ArgumentException($"{raw.Length} bytes do not fill shape {Shapes.Format(shape)} of {dataType.WireName()}", nameof(raw));
        }

        return new TensorData(name, dataType, shape, raw, []);
    }

    public static TensorData OfStrings(string name, long[] shape, byte[][] strings)
    {
        if (strings.LongLength != Shapes.ElementCount(shape))
        {
            throw new ArgumentException($"{strings.Length} strings do not fill shape {Shapes.Format(shape)}", nameof(strings));
        }

        return new TensorData(name, DataType.Bytes, shape, [], strings);
    }

    /// <summary>The same elements under another name and shape (same element count).</summary>
    public TensorData With(string name, long[] shape) => new(name, DataType, shape, Raw, Strings);
}
