using System.Buffers.Binary;
using System.Globalization;
using MigInfer.InferenceServer.Protocol;

namespace MigInfer.Cli.Client;

/// <summary>Shows a response's output tensors: name, datatype, shape and the first values.</summary>
internal static class OutputFormatter
{
    public static IEnumerable<string> Lines(ModelInferResponse response, int maxValues)
    {
        for (var i = 0; i < response.Outputs.Count; i++)
        {
            var output = response.Outputs[i];
            var values = i < response.RawOutputContents.Count
                ? Raw(output.Datatype, response.RawOutputContents[i].Span)
                : Typed(output.Contents);
            var shown = values.Take(maxValues).ToList();
            var more = values.Count > shown.Count ? $", ... ({values.Count} values)" : "";
            yield return $"{output.Name} {output.Datatype} [{string.Join(',', output.Shape)}]: [{string.Join(", ", shown)}{more}]";
        }
    }

    private static List<string> Typed(InferTensorContents? c) =>
        c is null ? [] :
        [
            .. c.Fp32Contents.Select(v => v.ToString("G6", CultureInfo.InvariantCulture)),
            .. c.Fp64Contents.Select(v => v.ToString("G6", CultureInfo.InvariantCulture)),
            .. c.Int64Contents.Select(v => v.ToString(CultureInfo.InvariantCulture)),
            .. c.IntContents.Select(v => v.ToString(CultureInfo.InvariantCulture)),
            .. c.Uint64Contents.Select(v => v.ToString(CultureInfo.InvariantCulture)),
            .. c.UintContents.Select(v => v.ToString(CultureInfo.InvariantCulture)),
            .. c.BoolContents.Select(v => v ? "true" : "false"),
            .. c.BytesContents.Select(v => '"' + v.ToStringUtf8() + '"'),
        ];

    private static List<string> Raw(string datatype, ReadOnlySpan<byte> bytes)
    {
        var values = new List<string>();
        var size = datatype switch { "FP64" or "INT64" or "UINT64" => 8, "FP32" or "INT32" or "UINT32" => 4, "FP16" or "INT16" or "UINT16" => 2, _ => 1 };
        if (datatype == "BYTES")
        {
            while (bytes.Length >= 4)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
                values.Add('"' + System.Text.Encoding.UTF8.GetString(bytes.Slice(4, length)) + '"');
                bytes = bytes[(4 + length)..];
            }

            return values;
        }

        for (var offset = 0; offset + size <= bytes.Length; offset += size)
        {
            var slot = bytes.Slice(offset, size);
            values.Add(datatype switch
            {
                "FP32" => BinaryPrimitives.ReadSingleLittleEndian(slot).ToString("G6", CultureInfo.InvariantCulture),
                "FP64" => BinaryPrimitives.ReadDoubleLittleEndian(slot).ToString("G6", CultureInfo.InvariantCulture),
                "FP16" => ((float)BinaryPrimitives.ReadHalfLittleEndian(slot)).ToString("G4", CultureInfo.InvariantCulture),
                "INT64" => BinaryPrimitives.ReadInt64LittleEndian(slot).ToString(CultureInfo.InvariantCulture),
                "UINT64" => BinaryPrimitives.ReadUInt64LittleEndian(slot).ToString(CultureInfo.InvariantCulture),
                "INT32" => BinaryPrimitives.ReadInt32LittleEndian(slot).ToString(CultureInfo.InvariantCulture),
                "UINT32" => BinaryPrimitives.ReadUInt32LittleEndian(slot).ToString(CultureInfo.InvariantCulture),
                "INT16" => BinaryPrimitives.ReadInt16LittleEndian(slot).ToString(CultureInfo.InvariantCulture),
                "UINT16" => BinaryPrimitives.ReadUInt16LittleEndian(slot).ToString(CultureInfo.InvariantCulture),
                "INT8" => ((sbyte)slot[0]).ToString(CultureInfo.InvariantCulture),
                "BOOL" => slot[0] != 0 ? "true" : "false",
                _ => slot[0].ToString(CultureInfo.InvariantCulture),
            });
        }

        return values;
    }
}
