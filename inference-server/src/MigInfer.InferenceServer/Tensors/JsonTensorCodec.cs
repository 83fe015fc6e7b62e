using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace MigInfer.InferenceServer.Tensors;

/// <summary>
/// Converts between the HTTP/JSON form (<c>data</c>: a flat or nested row-major array of numbers,
/// booleans or strings) and <see cref="TensorData"/>.
/// </summary>
internal static class JsonTensorCodec
{
    public static TensorData Decode(TensorHeader header, JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Array)
        {
            throw header.Invalid("data", $"is a JSON {data.ValueKind} but must be an array");
        }

        var leaves = new List<JsonElement>();
        Flatten(header, data, leaves);
        header.ExpectCount("data", leaves.Count);
        if (header.DataType == DataType.Bytes)
        {
            return TensorData.OfStrings(header.Name, header.Shape, [.. leaves.Select((e, i) => Utf8(header, e, i))]);
        }

        var size = header.DataType.ElementSize();
        var raw = new byte[leaves.Count * size];
        for (var i = 0; i < leaves.Count; i++)
        {
            WriteElement(header, leaves[i], i, raw.AsSpan(i * size, size));
        }

        return TensorData.Numeric(header.Name, header.DataType, header.Shape, raw);
    }

    public static void WriteData(Utf8JsonWriter writer, TensorData tensor)
    {
        writer.WriteStartArray();
        if (tensor.DataType == DataType.Bytes)
        {
            foreach (var element in tensor.Strings)
            {
                writer.WriteStringValue(Encoding.UTF8.GetString(element));
            }
        }
        else
        {
            var size = tensor.DataType.ElementSize();
            for (var offset = 0; offset < tensor.Raw.Length; offset += size)
            {
                WriteValue(writer, tensor.DataType, tensor.Raw.AsSpan(offset, size));
            }
        }

        writer.WriteEndArray();
    }

    private static void Flatten(TensorHeader header, JsonElement element, List<JsonElement> leaves)
    {
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                Flatten(header, item, leaves);
            }
            else
            {
                leaves.Add(item);
            }

            if (leaves.Count > header.ElementCount)
            {
                header.ExpectCount("data", leaves.Count);
            }
        }
    }

    private static byte[] Utf8(TensorHeader header, JsonElement element, int index) =>
        element.ValueKind == JsonValueKind.String
            ? Encoding.UTF8.GetBytes(element.GetString()!)
            : throw header.Invalid($"data[{index}]", $"is {element} but BYTES elements are strings");

    private static void WriteElement(TensorHeader header, JsonElement element, int index, Span<byte> target)
    {
        var type = header.DataType;
        if (type == DataType.Bool)
        {
            target[0] = element.ValueKind switch
            {
                JsonValueKind.True => 1,
                JsonValueKind.False => 0,
                _ => throw header.Invalid($"data[{index}]", $"is {element} but BOOL elements are true or false"),
            };
            return;
        }

        if (element.ValueKind != JsonValueKind.Number)
        {
            throw header.Invalid($"data[{index}]", $"is {element} but {type.WireName()} elements are numbers");
        }

        if (type is DataType.Fp16 or DataType.Bf16 or DataType.Fp32 or DataType.Fp64)
        {
            var value = element.GetDouble();
            switch (type)
            {
                case DataType.Fp16: MemoryMarshal.Write(target, (Half)value); break;
                case DataType.Bf16: MemoryMarshal.Write(target, BFloat16.FromSingle((float)value)); break;
                case DataType.Fp32: MemoryMarshal.Write(target, (float)value); break;
                default: MemoryMarshal.Write(target, value); break;
            }

            return;
        }

        if (type == DataType.Uint64)
        {
            MemoryMarshal.Write(target, element.TryGetUInt64(out var u) ? u : throw OutOfRange(header, element, index));
            return;
        }

        if (!element.TryGetInt64(out var n) || !IntegerFits(type, n))
        {
            throw OutOfRange(header, element, index);
        }

        switch (type)
        {
            case DataType.Uint8: target[0] = (byte)n; break;
            case DataType.Int8: target[0] = (byte)(sbyte)n; break;
            case DataType.Uint16: MemoryMarshal.Write(target, (ushort)n); break;
            case DataType.Int16: MemoryMarshal.Write(target, (short)n); break;
            case DataType.Uint32: MemoryMarshal.Write(target, (uint)n); break;
            case DataType.Int32: MemoryMarshal.Write(target, (int)n); break;
            default: MemoryMarshal.Write(target, n); break;
        }
    }

    private static bool IntegerFits(DataType type, long n) => type switch
    {
        DataType.Uint8 => n is >= byte.MinValue and <= byte.MaxValue,
        DataType.Int8 => n is >= sbyte.MinValue and <= sbyte.MaxValue,
        DataType.Uint16 => n is >= ushort.MinValue and <= ushort.MaxValue,
        DataType.Int16 => n is >= short.MinValue and <= short.MaxValue,
        DataType.Uint32 => n is >= uint.MinValue and <= uint.MaxValue,
        DataType.Int32 => n is >= int.MinValue and <= int.MaxValue,
        _ => true,
    };

    private static InferenceException OutOfRange(TensorHeader header, JsonElement element, int index) =>
        header.Invalid($"data[{index}]", $"value {element} is not a {header.DataType.WireName()}");

    private static void WriteValue(Utf8JsonWriter writer, DataType type, ReadOnlySpan<byte> bytes)
    {
        switch (type)
        {
            case DataType.Bool: writer.WriteBooleanValue(bytes[0] != 0); break;
            case DataType.Uint8: writer.WriteNumberValue(bytes[0]); break;
            case DataType.Int8: writer.WriteNumberValue((sbyte)bytes[0]); break;
            case DataType.Uint16: writer.WriteNumberValue(MemoryMarshal.Read<ushort>(bytes)); break;
            case DataType.Int16: writer.WriteNumberValue(MemoryMarshal.Read<short>(bytes)); break;
            case DataType.Uint32: writer.WriteNumberValue(MemoryMarshal.Read<uint>(bytes)); break;
            case DataType.Int32: writer.WriteNumberValue(MemoryMarshal.Read<int>(bytes)); break;
            case DataType.Uint64: writer.WriteNumberValue(MemoryMarshal.Read<ulong>(bytes)); break;
            case DataType.Int64: writer.WriteNumberValue(MemoryMarshal.Read<long>(bytes)); break;
            case DataType.Fp16: WriteFloat(writer, (double)MemoryMarshal.Read<Half>(bytes)); break;
            case DataType.Bf16: WriteFloat(writer, MemoryMarshal.Read<BFloat16>(bytes).ToSingle()); break;
            case DataType.Fp32: WriteFloat(writer, MemoryMarshal.Read<float>(bytes)); break;
            default: WriteFloat(writer, MemoryMarshal.Read<double>(bytes)); break;
        }
    }

    /// <summary>JSON has no NaN or infinity; they are written as the strings System.Text.Json reads back with named literals.</summary>
    private static void WriteFloat(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(value.ToString());
        }
    }
}
