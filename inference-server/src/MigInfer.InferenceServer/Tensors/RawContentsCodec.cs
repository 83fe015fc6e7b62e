using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MigInfer.InferenceServer.Tensors;

/// <summary>
/// Converts between the protocol's raw form and <see cref="TensorData"/>: numeric tensors are
/// little-endian row-major bytes, BYTES tensors are elements each prefixed by a 4-byte little-endian length.
/// </summary>
internal static class RawContentsCodec
{
    /// <summary>
    /// Reads one raw tensor. Numeric contents that fill a whole array (what protobuf parsing makes of a
    /// bytes field) become the tensor's bytes in place: a batch of images is megabytes, and another
    /// copy of it cost more than the rest of the server's work. Nothing mutates a request's tensors.
    /// </summary>
    public static TensorData Decode(TensorHeader header, string field, ReadOnlyMemory<byte> raw)
    {
        if (header.DataType == DataType.Bytes)
        {
            return TensorData.OfStrings(header.Name, header.Shape, SplitStrings(header, field, raw.Span));
        }

        var size = header.DataType.ElementSize();
        if (raw.Length != header.ElementCount * size)
        {
            throw header.Invalid(field, $"has {raw.Length} bytes but shape {Shapes.Format(header.Shape)} of {header.DataType.WireName()} needs {header.ElementCount * size}");
        }

        var bytes = MemoryMarshal.TryGetArray(raw, out var whole) && whole.Offset == 0 && whole.Count == whole.Array!.Length ? whole.Array : raw.ToArray();
        if (header.DataType == DataType.Bool)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] > 1)
                {
                    throw header.Invalid($"{field}[{i}]", $"byte {bytes[i]} is not a BOOL (0 or 1)");
                }
            }
        }

        return TensorData.Numeric(header.Name, header.DataType, header.Shape, bytes);
    }

    public static byte[] Encode(TensorData tensor)
    {
        if (tensor.DataType != DataType.Bytes)
        {
            return tensor.Raw;
        }

        var result = new byte[tensor.Strings.Sum(s => 4L + s.Length)];
        var offset = 0;
        foreach (var element in tensor.Strings)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(offset), (uint)element.Length);
            element.CopyTo(result, offset + 4);
            offset += 4 + element.Length;
        }

        return result;
    }

    private static byte[][] SplitStrings(TensorHeader header, string field, ReadOnlySpan<byte> raw)
    {
        var elements = new List<byte[]>();
        var offset = 0;
        while (offset < raw.Length)
        {
            if (raw.Length - offset < 4)
            {
                throw header.Invalid(field, $"ends inside the length prefix of element {elements.Count} at byte {offset}");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(raw[offset..]);
            offset += 4;
            if (length > (uint)(raw.Length - offset))
            {
                throw header.Invalid(field, $"element {elements.Count} declares {length} bytes but only {raw.Length - offset} remain");
            }

            elements.Add(raw.Slice(offset, (int)length).ToArray());
            offset += (int)length;
        }

        header.ExpectCount(field, elements.Count);
        return [.. elements];
    }
}
