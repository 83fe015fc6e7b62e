using System.Buffers;
using Google.Protobuf;
using MigInfer.InferenceServer.Protocol;

namespace MigInfer.InferenceServer.Grpc;

/// <summary>
/// Parses a <see cref="ModelInferRequest"/> from the received bytes with its large raw input contents in
/// arrays from a <see cref="RequestBufferPool"/> instead of the fresh arrays protobuf allocates. Every other
/// field goes through protobuf's own parser, so the message is the one <c>ModelInferRequest.Parser</c>
/// would build; input it cannot split (a malformed tag or length, a group) goes to that parser whole, which
/// rejects it exactly as before. <see cref="Release"/> gives the arrays back once the request is answered.
/// </summary>
internal static class ModelInferRequestReader
{
    private const uint RawInputContentsTag = (ModelInferRequest.RawInputContentsFieldNumber << 3) | (uint)WireFormat.WireType.LengthDelimited;

    public static ModelInferRequest Parse(ReadOnlySequence<byte> payload, RequestBufferPool pool)
    {
        var raw = new List<ByteString>();
        try
        {
            if (Split(payload, pool, raw) is not { } rest)
            {
                ReturnAll(raw, pool);
                return ModelInferRequest.Parser.ParseFrom(payload);
            }

            var request = ModelInferRequest.Parser.ParseFrom(rest);
            request.RawInputContents.AddRange(raw);
            return request;
        }
        catch
        {
            ReturnAll(raw, pool);
            throw;
        }
    }

    /// <summary>Returns the request's pooled raw input contents; the request must not be used for inference afterwards.</summary>
    public static void Release(ModelInferRequest request, RequestBufferPool pool) => ReturnAll(request.RawInputContents, pool);

    private static void ReturnAll(IEnumerable<ByteString> contents, RequestBufferPool pool)
    {
        foreach (var content in contents)
        {
            if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content.Memory, out var segment))
            {
                pool.Return(segment.Array!);
            }
        }
    }

    /// <summary>
    /// Walks the top-level fields: raw input contents go to <paramref name="raw"/> in order (large ones copied into
    /// pooled arrays), every other field is copied as it was into the returned bytes. Null when the bytes are not
    /// a well-formed sequence of fields.
    /// </summary>
    private static byte[]? Split(ReadOnlySequence<byte> payload, RequestBufferPool pool, List<ByteString> raw)
    {
        var reader = new SequenceReader<byte>(payload);
        var rest = new ArrayBufferWriter<byte>(256);
        while (!reader.End)
        {
            var start = reader.Position;
            if (!TryReadVarint(ref reader, out var tag) || tag >> 3 == 0 || tag > uint.MaxValue)
            {
                return null;
            }

            if (tag == RawInputContentsTag)
            {
                if (!TryReadLength(ref reader, out var length))
                {
                    return null;
                }

                var body = reader.UnreadSequence.Slice(0, length);
                byte[] array;
                if (length >= pool.MinLength)
                {
                    array = pool.Rent(length);
                    body.CopyTo(array);
                }
                else
                {
                    array = body.ToArray();
                }

                raw.Add(UnsafeByteOperations.UnsafeWrap(array));
                reader.Advance(length);
                continue;
            }

            if (!TrySkip(ref reader, (WireFormat.WireType)(tag & 7)))
            {
                return null;
            }

            foreach (var segment in payload.Slice(start, reader.Position))
            {
                rest.Write(segment.Span);
            }
        }

        return rest.WrittenSpan.ToArray();
    }

    private static bool TrySkip(ref SequenceReader<byte> reader, WireFormat.WireType wireType)
    {
        switch (wireType)
        {
            case WireFormat.WireType.Varint:
                return TryReadVarint(ref reader, out _);
            case WireFormat.WireType.Fixed64:
                return reader.TryAdvance(8);
            case WireFormat.WireType.Fixed32:
                return reader.TryAdvance(4);
            case WireFormat.WireType.LengthDelimited:
                return TryReadLength(ref reader, out var length) && reader.TryAdvance(length);
            default:
                return false;
        }
    }

    private static bool TryReadLength(ref SequenceReader<byte> reader, out int length)
    {
        length = 0;
        if (!TryReadVarint(ref reader, out var value) || value > int.MaxValue || (long)value > reader.Remaining)
        {
            return false;
        }

        length = (int)value;
        return true;
    }

    private static bool TryReadVarint(ref SequenceReader<byte> reader, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (!reader.TryRead(out var b))
            {
                return false;
            }

            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryAdvance(this ref SequenceReader<byte> reader, long count)
    {
        if (reader.Remaining < count)
        {
            return false;
        }

        reader.Advance(count);
        return true;
    }
}
