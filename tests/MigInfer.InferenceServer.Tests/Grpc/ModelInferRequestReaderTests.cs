using System.Buffers;
using System.Runtime.InteropServices;
using Google.Protobuf;
using MigInfer.InferenceServer.Grpc;
using MigInfer.InferenceServer.Protocol;
using MigInfer.InferenceServer.Protocol.Peer;

namespace MigInfer.InferenceServer.Tests.Grpc;

public sealed class ModelInferRequestReaderTests
{
    private const int MinPooled = 1024;

    [Fact]
    public void WellFormedRequest_IsTheMessageProtobufParses_InAnySegmentation()
    {
        var request = Sample(new Random(1), [MinPooled * 3, 10, 0, MinPooled]);
        var bytes = request.ToByteArray();
        var random = new Random(2);
        for (var i = 0; i < 50; i++)
        {
            var pool = new RequestBufferPool(1 << 20, MinPooled);

            var parsed = ModelInferRequestReader.Parse(Segmented(bytes, random), pool);

            Assert.Equal(request, parsed);
        }
    }

    [Fact]
    public void RawContentsBetweenOtherFields_KeepTheirOrder()
    {
        var first = new ModelInferRequest { ModelName = "m" };
        first.RawInputContents.Add(ByteString.CopyFrom(Filled(MinPooled * 2, 1)));
        var second = new ModelInferRequest { Id = "between" };
        second.RawInputContents.Add(ByteString.CopyFrom(Filled(5, 2)));
        var third = new ModelInferRequest { ModelVersion = "3" };
        third.RawInputContents.Add(ByteString.CopyFrom(Filled(MinPooled, 3)));
        byte[] bytes = [.. first.ToByteArray(), .. second.ToByteArray(), .. third.ToByteArray()];

        var parsed = ModelInferRequestReader.Parse(new ReadOnlySequence<byte>(bytes), new RequestBufferPool(1 << 20, MinPooled));

        Assert.Equal(ModelInferRequest.Parser.ParseFrom(bytes), parsed);
        Assert.Equal([1, 2, 3], parsed.RawInputContents.Select(c => c[0]));
    }

    [Fact]
    public void LargeContents_ComeFromThePool_AndAreReusedAfterRelease()
    {
        var pool = new RequestBufferPool(1 << 20, MinPooled);
        var bytes = Sample(new Random(3), [MinPooled * 4, 16]).ToByteArray();

        var first = ModelInferRequestReader.Parse(new ReadOnlySequence<byte>(bytes), pool);
        var large = ArrayOf(first.RawInputContents[0]);
        var small = ArrayOf(first.RawInputContents[1]);
        ModelInferRequestReader.Release(first, pool);
        var retained = pool.RetainedBytes;
        var second = ModelInferRequestReader.Parse(new ReadOnlySequence<byte>(bytes), pool);

        Assert.Equal(MinPooled * 4, large.Length);
        Assert.Equal(MinPooled * 4, retained);
        Assert.Same(large, ArrayOf(second.RawInputContents[0]));
        Assert.NotSame(small, ArrayOf(second.RawInputContents[1]));
        Assert.Equal(0, pool.RetainedBytes);
    }

    [Fact]
    public void ReleasingARequestTheReaderDidNotBuild_PoolsNothing()
    {
        var pool = new RequestBufferPool(1 << 20, MinPooled);
        var built = Sample(new Random(4), [MinPooled * 2]);

        ModelInferRequestReader.Release(built, pool);

        Assert.Equal(0, pool.RetainedBytes);
        Assert.NotSame(ArrayOf(built.RawInputContents[0]), pool.Rent(MinPooled * 2));
    }

    [Fact]
    public void RandomAndMutatedEncodings_ParseAsProtobufDoes_OrFailAsItDoes()
    {
        var random = new Random(5);
        var pool = new RequestBufferPool(1 << 16, MinPooled);
        var valid = Sample(random, [MinPooled * 2, 7]).ToByteArray();
        for (var i = 0; i < 3000; i++)
        {
            var bytes = Mutate(valid, random);
            ModelInferRequest? expected = null;
            Exception? expectedError = null;
            try
            {
                expected = ModelInferRequest.Parser.ParseFrom(bytes);
            }
            catch (InvalidProtocolBufferException e)
            {
                expectedError = e;
            }

            if (expectedError is not null)
            {
                Assert.Throws<InvalidProtocolBufferException>(() => ModelInferRequestReader.Parse(Segmented(bytes, random), pool));
                continue;
            }

            var parsed = ModelInferRequestReader.Parse(Segmented(bytes, random), pool);
            Assert.Equal(expected, parsed);
            ModelInferRequestReader.Release(parsed, pool);
        }

        Assert.InRange(pool.RetainedBytes, 0, 1 << 16);
    }

    [Fact]
    public void UnknownFieldsOfEveryWireType_AreKept()
    {
        var request = Sample(new Random(6), [MinPooled]);
        using var extra = new MemoryStream();
        using (var writer = new CodedOutputStream(extra, leaveOpen: true))
        {
            writer.WriteTag(100, WireFormat.WireType.Varint);
            writer.WriteUInt64(ulong.MaxValue);
            writer.WriteTag(101, WireFormat.WireType.Fixed64);
            writer.WriteFixed64(42);
            writer.WriteTag(102, WireFormat.WireType.Fixed32);
            writer.WriteFixed32(7);
            writer.WriteTag(103, WireFormat.WireType.LengthDelimited);
            writer.WriteBytes(ByteString.CopyFromUtf8("kept"));
            writer.WriteTag(ModelInferRequest.RawInputContentsFieldNumber, WireFormat.WireType.Varint);
            writer.WriteUInt32(9);
        }

        byte[] bytes = [.. request.ToByteArray(), .. extra.ToArray()];

        var parsed = ModelInferRequestReader.Parse(new ReadOnlySequence<byte>(bytes), new RequestBufferPool(1 << 20, MinPooled));

        Assert.Equal(ModelInferRequest.Parser.ParseFrom(bytes), parsed);
        Assert.Equal(bytes.Length, parsed.CalculateSize());
    }

    [Fact]
    public void ForwardedRequest_IsTheMessageProtobufParses_WithItsLargeContentsPooled()
    {
        var pool = new RequestBufferPool(1 << 20, MinPooled);
        var peer = new PeerInferRequest { Request = Sample(new Random(7), [MinPooled * 2, 3]), DeadlineRemainingUs = 1500 };
        var bytes = peer.ToByteArray();

        var parsed = ModelInferRequestReader.ParsePeer(Segmented(bytes, new Random(8)), pool);
        var large = ArrayOf(parsed.Request.RawInputContents[0]);
        ModelInferRequestReader.Release(parsed.Request, pool);

        Assert.Equal(peer, parsed);
        Assert.Equal(MinPooled * 2, pool.RetainedBytes);
        Assert.Same(large, pool.Rent(MinPooled * 2));
    }

    [Fact]
    public void MutatedForwardedRequests_ParseAsProtobufDoes_OrFailAsItDoes()
    {
        var random = new Random(9);
        var pool = new RequestBufferPool(1 << 16, MinPooled);
        var valid = new PeerInferRequest { Request = Sample(random, [MinPooled, 5]), DeadlineRemainingUs = 99 }.ToByteArray();
        for (var i = 0; i < 2000; i++)
        {
            var bytes = Mutate(valid, random);
            PeerInferRequest? expected;
            try
            {
                expected = PeerInferRequest.Parser.ParseFrom(bytes);
            }
            catch (InvalidProtocolBufferException)
            {
                Assert.Throws<InvalidProtocolBufferException>(() => ModelInferRequestReader.ParsePeer(Segmented(bytes, random), pool));
                continue;
            }

            var parsed = ModelInferRequestReader.ParsePeer(Segmented(bytes, random), pool);
            Assert.Equal(expected, parsed);
            ModelInferRequestReader.Release(parsed.Request, pool);
        }
    }

    private static ModelInferRequest Sample(Random random, int[] rawLengths)
    {
        var request = new ModelInferRequest { ModelName = "model", ModelVersion = "1", Id = "id-1" };
        request.Parameters["timeout"] = new InferParameter { Int64Param = 5000 };
        for (var i = 0; i < rawLengths.Length; i++)
        {
            var input = new ModelInferRequest.Types.InferInputTensor { Name = $"in{i}", Datatype = "UINT8" };
            input.Shape.Add(rawLengths[i]);
            input.Parameters["binary_data_size"] = new InferParameter { Int64Param = rawLengths[i] };
            request.Inputs.Add(input);
            var bytes = new byte[rawLengths[i]];
            random.NextBytes(bytes);
            request.RawInputContents.Add(ByteString.CopyFrom(bytes));
        }

        request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "out" });
        return request;
    }

    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    private static byte[] ArrayOf(ByteString content) =>
        MemoryMarshal.TryGetArray(content.Memory, out var segment) ? segment.Array! : throw new InvalidOperationException("not array-backed");

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = valid.ToList();
        for (var m = random.Next(1, 4); m > 0 && bytes.Count > 0; m--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                case 3: bytes.Insert(at, (byte)random.Next(256)); break;
                default: bytes.RemoveAt(at); break;
            }
        }

        return [.. bytes];
    }

    /// <summary>The bytes as a sequence of random-sized segments, as Kestrel's pipe hands a message over.</summary>
    private static ReadOnlySequence<byte> Segmented(byte[] bytes, Random random)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Segment? first = null, last = null;
        for (var offset = 0; offset < bytes.Length;)
        {
            var length = Math.Min(random.Next(1, 5000), bytes.Length - offset);
            var segment = new Segment(bytes.AsMemory(offset, length), last);
            first ??= segment;
            last = segment;
            offset += length;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}
