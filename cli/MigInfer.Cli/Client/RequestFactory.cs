using System.Buffers.Binary;
using Google.Protobuf;
using MigInfer.InferenceServer.Protocol;

namespace MigInfer.Cli.Client;

/// <summary>
/// Builds v2 requests for a model from its metadata: inputs of the given batch with seeded random
/// contents sent raw (little-endian), variable non-batch dimensions set to a length drawn from
/// <paramref name="sequence"/> per request (the same for every input of it), token-id tensors kept small
/// and masks set to one.
/// </summary>
internal sealed class RequestFactory(ModelMetadataResponse metadata, SequenceLengths sequence, int seed)
{
    private readonly Random _random = new(seed);

    public ModelMetadataResponse Metadata { get; } = metadata;

    /// <summary>Whether dimension 0 is the batch (variable), so requests of several samples are accepted.</summary>
    public bool Batched => Metadata.Inputs.All(i => i.Shape.Count > 0 && i.Shape[0] == -1);

    public ModelInferRequest Create(int batch, string? id = null)
    {
        var request = new ModelInferRequest { ModelName = Metadata.Name, Id = id ?? "" };
        var length = sequence.Draw(_random);
        foreach (var input in Metadata.Inputs)
        {
            var shape = input.Shape.Select((d, i) => d >= 0 ? d : i == 0 ? batch : length).ToArray();
            var count = shape.Aggregate(1L, (a, b) => a * b);
            var tensor = new ModelInferRequest.Types.InferInputTensor { Name = input.Name, Datatype = input.Datatype };
            tensor.Shape.Add(shape);
            request.Inputs.Add(tensor);
            request.RawInputContents.Add(ByteString.CopyFrom(Contents(input.Name, input.Datatype, count)));
        }

        return request;
    }

    private byte[] Contents(string name, string datatype, long count)
    {
        var mask = name.Contains("mask", StringComparison.OrdinalIgnoreCase);
        var ids = name.Contains("ids", StringComparison.OrdinalIgnoreCase);
        var n = checked((int)count);
        switch (datatype)
        {
            case "BYTES":
                using (var stream = new MemoryStream())
                {
                    // Raw BYTES: each element is a 4-byte little-endian length, then the bytes.
                    var length = new byte[4];
                    for (var i = 0; i < n; i++)
                    {
                        var text = System.Text.Encoding.UTF8.GetBytes($"sample-{_random.Next(1000)}");
                        BinaryPrimitives.WriteInt32LittleEndian(length, text.Length);
                        stream.Write(length);
                        stream.Write(text);
                    }

                    return stream.ToArray();
                }

            case "BOOL":
                return Enumerable.Range(0, n).Select(_ => (byte)(mask ? 1 : _random.Next(2))).ToArray();
        }

        var size = datatype switch
        {
            "FP64" or "INT64" or "UINT64" => 8,
            "FP32" or "INT32" or "UINT32" => 4,
            "FP16" or "BF16" or "INT16" or "UINT16" => 2,
            "INT8" or "UINT8" => 1,
            _ => throw new InvalidOperationException($"model input {name} has datatype {datatype}, which the client cannot generate"),
        };
        var bytes = new byte[n * size];
        for (var i = 0; i < n; i++)
        {
            var slot = bytes.AsSpan(i * size, size);
            var integer = mask ? 1 : ids ? _random.Next(1, 100) : _random.Next(0, 100);
            switch (datatype)
            {
                case "FP64": BinaryPrimitives.WriteDoubleLittleEndian(slot, _random.NextDouble()); break;
                case "FP32": BinaryPrimitives.WriteSingleLittleEndian(slot, (float)_random.NextDouble()); break;
                case "FP16" or "BF16": BinaryPrimitives.WriteHalfLittleEndian(slot, (Half)_random.NextDouble()); break;
                case "INT64" or "UINT64": BinaryPrimitives.WriteInt64LittleEndian(slot, integer); break;
                case "INT32" or "UINT32": BinaryPrimitives.WriteInt32LittleEndian(slot, integer); break;
                case "INT16" or "UINT16": BinaryPrimitives.WriteInt16LittleEndian(slot, (short)integer); break;
                default: slot[0] = (byte)integer; break;
            }
        }

        return bytes;
    }
}
