using System.Runtime.InteropServices;
using Google.Protobuf;
using Google.Protobuf.Collections;
using MigInfer.InferenceServer.Protocol;

namespace MigInfer.InferenceServer.Tensors;

/// <summary>Converts between <see cref="InferTensorContents"/> (typed gRPC contents) and <see cref="TensorData"/>.</summary>
internal static class TypedContentsCodec
{
    public static TensorData Decode(TensorHeader header, InferTensorContents contents)
    {
        var expected = FieldFor(header.DataType);
        if (expected is null)
        {
            throw header.Invalid("contents", $"cannot hold {header.DataType.WireName()}; send it in raw_input_contents");
        }

        foreach (var (field, count) in Counts(contents))
        {
            if (count > 0 && field != expected)
            {
                throw header.Invalid($"contents.{field}", $"is set ({count} values) but {header.DataType.WireName()} uses contents.{expected}");
            }
        }

        var where = $"contents.{expected}";
        return header.DataType switch
        {
            DataType.Bool => Numeric(header, where, contents.BoolContents, b => (byte)(b ? 1 : 0)),
            DataType.Uint8 => Numeric(header, where, contents.UintContents, v => checked((byte)v)),
            DataType.Uint16 => Numeric(header, where, contents.UintContents, v => checked((ushort)v)),
            DataType.Uint32 => Numeric(header, where, contents.UintContents, v => v),
            DataType.Uint64 => Numeric(header, where, contents.Uint64Contents, v => v),
            DataType.Int8 => Numeric(header, where, contents.IntContents, v => checked((sbyte)v)),
            DataType.Int16 => Numeric(header, where, contents.IntContents, v => checked((short)v)),
            DataType.Int32 => Numeric(header, where, contents.IntContents, v => v),
            DataType.Int64 => Numeric(header, where, contents.Int64Contents, v => v),
            DataType.Fp32 => Numeric(header, where, contents.Fp32Contents, v => v),
            DataType.Fp64 => Numeric(header, where, contents.Fp64Contents, v => v),
            DataType.Bytes => Strings(header, where, contents.BytesContents),
            _ => throw header.Invalid("datatype", "has no typed contents field"),
        };
    }

    /// <summary>True when the protocol has a typed contents field for the datatype (FP16 and BF16 travel raw).</summary>
    public static bool HasTypedField(DataType type) => FieldFor(type) is not null;

    public static InferTensorContents Encode(TensorData tensor)
    {
        var contents = new InferTensorContents();
        var raw = tensor.Raw;
        switch (tensor.DataType)
        {
            case DataType.Bool: contents.BoolContents.AddRange(raw.Select(b => b != 0)); break;
            case DataType.Uint8: contents.UintContents.AddRange(raw.Select(b => (uint)b)); break;
            case DataType.Uint16: contents.UintContents.AddRange(Cast<ushort>(raw).Select(v => (uint)v)); break;
            case DataType.Uint32: contents.UintContents.AddRange(Cast<uint>(raw)); break;
            case DataType.Uint64: contents.Uint64Contents.AddRange(Cast<ulong>(raw)); break;
            case DataType.Int8: contents.IntContents.AddRange(raw.Select(b => (int)(sbyte)b)); break;
            case DataType.Int16: contents.IntContents.AddRange(Cast<short>(raw).Select(v => (int)v)); break;
            case DataType.Int32: contents.IntContents.AddRange(Cast<int>(raw)); break;
            case DataType.Int64: contents.Int64Contents.AddRange(Cast<long>(raw)); break;
            case DataType.Fp32: contents.Fp32Contents.AddRange(Cast<float>(raw)); break;
            case DataType.Fp64: contents.Fp64Contents.AddRange(Cast<double>(raw)); break;
            case DataType.Bytes: contents.BytesContents.AddRange(tensor.Strings.Select(ByteString.CopyFrom)); break;
            default: throw new ArgumentException($"{tensor.DataType.WireName()} has no typed contents field", nameof(tensor));
        }

        return contents;
    }

    private static string? FieldFor(DataType type) => type switch
    {
        DataType.Bool => "bool_contents",
        DataType.Uint8 or DataType.Uint16 or DataType.Uint32 => "uint_contents",
        DataType.Uint64 => "uint64_contents",
        DataType.Int8 or DataType.Int16 or DataType.Int32 => "int_contents",
        DataType.Int64 => "int64_contents",
        DataType.Fp32 => "fp32_contents",
        DataType.Fp64 => "fp64_contents",
        DataType.Bytes => "bytes_contents",
        _ => null,
    };

    private static IEnumerable<(string Field, int Count)> Counts(InferTensorContents c) =>
    [
        ("bool_contents", c.BoolContents.Count),
        ("int_contents", c.IntContents.Count),
        ("int64_contents", c.Int64Contents.Count),
        ("uint_contents", c.UintContents.Count),
        ("uint64_contents", c.Uint64Contents.Count),
        ("fp32_contents", c.Fp32Contents.Count),
        ("fp64_contents", c.Fp64Contents.Count),
        ("bytes_contents", c.BytesContents.Count),
    ];

    private static TensorData Numeric<TIn, TOut>(TensorHeader header, string field, RepeatedField<TIn> values, Func<TIn, TOut> convert)
        where TOut : unmanaged
    {
        header.ExpectCount(field, values.Count);
        var elements = new TOut[values.Count];
        for (var i = 0; i < elements.Length; i++)
        {
            try
            {
                elements[i] = convert(values[i]);
            }
            catch (OverflowException)
            {
                throw header.Invalid($"{field}[{i}]", $"value {values[i]} is out of range for {header.DataType.WireName()}");
            }
        }

        return TensorData.Numeric(header.Name, header.DataType, header.Shape, MemoryMarshal.AsBytes(elements.AsSpan()).ToArray());
    }

    private static TensorData Strings(TensorHeader header, string field, RepeatedField<ByteString> values)
    {
        header.ExpectCount(field, values.Count);
        return TensorData.OfStrings(header.Name, header.Shape, [.. values.Select(v => v.ToByteArray())]);
    }

    private static T[] Cast<T>(byte[] raw)
        where T : unmanaged => MemoryMarshal.Cast<byte, T>(raw).ToArray();
}
