using System.Buffers;
using Google.Protobuf;
using MigInfer.InferenceServer.Protocol.Peer;
using MigInfer.InferenceServer.Protocol;

namespace MigInfer.InferenceServer.Grpc;

/// <summary>
/// Parses a <see cref="ModelInferRequest"/> (from a client, or inside a peer's <see cref="PeerInferRequest"/>) from
/// the received bytes with its large raw input contents in arrays from a <see cref="RequestBufferPool"/> instead of
/// the fresh arrays protobuf allocates. Every other field goes through protobuf's own parser, so the message is the
/// one protobuf would build; input it cannot split (a malformed tag or length, a group) goes to protobuf whole,
/// which rejects it exactly as before. <see cref="Release"/> gives the arrays back once the request is answered.
/// </summary>
internal static class ModelInferRequestReader
{
    private const uint RawInputContentsTag = (ModelInferRequest.RawInputContentsFieldNumber << 3) | (uint)WireFormat.WireType.LengthDelimited;
    private const uint PeerRequestTag = (PeerInferRequest.RequestFieldNumber << 3) | (uint)WireFormat.WireType.LengthDelimited;

    public static ModelInferRequest Parse(ReadOnlySequence<byte> payload, RequestBufferPool pool)
    {
        // A message shorter than the pool's minimum holds nothing to pool: protobuf alone reads it.
        var bodies = new List<ReadOnlySequence<byte>>();
        if (payload.Length < pool.MinLength || Split(payload, RawInputContentsTag, bodies) is not { } rest)
        {
            return ModelInferRequest.Parser.ParseFrom(payload);
        }

        var request = ModelInferRequest.Parser.ParseFrom(rest.WrittenSpan);
        foreach (var body in bodies)
        {
            byte[] array;
            if (body.Length >= pool.MinLength)
            {
                array = pool.Rent((int)body.Length);
                body.CopyTo(array);
            }
            else
            {
                array = body.ToArray();
            }

            request.RawInputContents.Add(UnsafeByteOperations.UnsafeWrap(array));
        }

        return request;
    }

    /// <summary>A forwarded request from a peer: its <see cref="PeerInferRequest.Request"/> read as <see cref="Parse"/> reads a client's.</summary>
    public static PeerInferRequest ParsePeer(ReadOnlySequence<byte> payload, RequestBufferPool pool)
    {
        var bodies = new List<ReadOnlySequence<byte>>();
        if (payload.Length < pool.MinLength || Split(payload, PeerRequestTag, bodies) is not { } rest || bodies.Count > 1)
        {
            // Repeated occurrences of the message field merge in protobuf; leave that to protobuf.
            return PeerInferRequest.Parser.ParseFrom(payload);
        }

        var peer = PeerInferRequest.Parser.ParseFrom(rest.WrittenSpan);
        if (bodies.Count == 1)
        {
            peer.Request = Parse(bodies[0], pool);
        }

        return peer;
    }

    /// <summary>Returns the request's pooled raw input contents; the request must not be used for inference afterwards.</summary>
    public static void Release(ModelInferRequest? request, RequestBufferPool pool)
    {
        foreach (var content in request?.RawInputContents ?? [])
        {
            if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content.Memory, out var segment))
            {
                pool.Return(segment.Array!);
            }
        }
    }

    /// <summary>
    /// Walks the top-level fields: the bodies of fields with <paramref name="tag"/> (length-delimited) go to
    /// <paramref name="bodies"/> in order, every other field is copied as it was into the returned bytes. Null when
    /// the bytes are not a well-formed sequence of fields.
    /// </summary>
    private static ArrayBufferWriter<byte>? Split(ReadOnlySequence<byte> payload, uint tag, List<ReadOnlySequence<byte>> bodies)
    {
        var reader = new SequenceReader<byte>(payload);
        var rest = new ArrayBufferWriter<byte>(256);
        while (!reader.End)
        {
            var start = reader.Position;
            if (!TryReadVarint(ref reader, out var read) || read >> 3 == 0 || read > uint.MaxValue)
            {
                return null;
            }

            if (read == tag)
            {
                if (!TryReadLength(ref reader, out var length))
                {
                    return null;
                }

                bodies.Add(reader.UnreadSequence.Slice(0, length));
                reader.Advance(length);
                continue;
            }

            if (!TrySkip(ref reader, (WireFormat.WireType)(read & 7)))
            {
                return null;
            }

            foreach (var segment in payload.Slice(start, reader.Position))
            {
                rest.Write(segment.Span);
            }
        }

        return rest;
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
