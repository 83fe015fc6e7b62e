using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using CsCheck;
using MigInfer.InferenceServer.Tensors;
using static MigInfer.InferenceServer.Tests.Fixtures.TestTensors;

namespace MigInfer.InferenceServer.Tests.Tensors;

public sealed class CodecRoundTripTests
{
    public static TheoryData<string> AllTypes => [.. Enum.GetValues<DataType>().Select(t => t.WireName())];

    public static TheoryData<string> TypedTypes => [.. Enum.GetValues<DataType>().Where(TypedContentsCodec.HasTypedField).Select(t => t.WireName())];

    [Theory]
    [MemberData(nameof(TypedTypes))]
    public void TypedContents_RoundTrip_KeepsEveryElement(string datatype)
    {
        var tensor = Sample(Parse(datatype));
        var contents = TypedContentsCodec.Encode(tensor);
        var decoded = TypedContentsCodec.Decode(TensorHeader.Parse("inputs[0]", "t", datatype, [1, 2]), contents);
        AssertEqual(tensor, decoded);
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void RawContents_RoundTrip_KeepsEveryElement(string datatype)
    {
        var tensor = Sample(Parse(datatype));
        var raw = RawContentsCodec.Encode(tensor);
        var decoded = RawContentsCodec.Decode(TensorHeader.Parse("inputs[0]", "t", datatype, [1, 2]), "raw_input_contents[0]", raw);
        AssertEqual(tensor, decoded);
    }

    [Fact]
    public void RawContents_OfAWholeArray_AreTheTensorsBytesWithoutACopy()
    {
        var whole = new byte[16];
        var part = new ReadOnlyMemory<byte>(new byte[20], 2, 16);
        var header = TensorHeader.Parse("inputs[0]", "t", "FP32", [1, 4]);

        Assert.Same(whole, RawContentsCodec.Decode(header, "raw_input_contents[0]", whole).Raw);
        Assert.Equal(16, RawContentsCodec.Decode(header, "raw_input_contents[0]", part).Raw.Length);
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void JsonData_RoundTrip_KeepsEveryElement(string datatype)
    {
        var tensor = Sample(Parse(datatype));
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            JsonTensorCodec.WriteData(writer, tensor);
        }

        using var json = JsonDocument.Parse(stream.ToArray());
        var decoded = JsonTensorCodec.Decode(TensorHeader.Parse("inputs[0]", "t", datatype, [1, 2]), json.RootElement);
        AssertEqual(tensor, decoded);
    }

    [Fact]
    public void RawBytes_UseFourByteLittleEndianLengthPrefixes()
    {
        var raw = RawContentsCodec.Encode(Strings("t", [2], "ab", ""));
        Assert.Equal(new byte[] { 2, 0, 0, 0, (byte)'a', (byte)'b', 0, 0, 0, 0 }, raw);
    }

    [Fact]
    public void JsonData_NestedArrays_AreFlattenedRowMajor()
    {
        using var json = JsonDocument.Parse("[[1,2],[3,4]]");
        var decoded = JsonTensorCodec.Decode(TensorHeader.Parse("inputs[0]", "t", "INT32", [2, 2]), json.RootElement);
        Assert.Equal([1, 2, 3, 4], MemoryMarshal.Cast<byte, int>(decoded.Raw).ToArray());
    }

    [Fact]
    public void JsonData_NonFiniteFloats_AreWrittenAsNamedStrings()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            JsonTensorCodec.WriteData(writer, Of("t", DataType.Fp32, [3], float.NaN, float.PositiveInfinity, 1f));
        }

        Assert.Equal("[\"NaN\",\"Infinity\",1]", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void RawFp32_AnyValues_RoundTripThroughTypedAndRaw()
    {
        Gen.Float.Array[0, 64].Sample(values =>
        {
            var tensor = Of("x", DataType.Fp32, [values.Length], values);
            var header = TensorHeader.Parse("inputs[0]", "x", "FP32", [values.Length]);
            AssertEqual(tensor, RawContentsCodec.Decode(header, "raw", RawContentsCodec.Encode(tensor)));
            AssertEqual(tensor, TypedContentsCodec.Decode(header, TypedContentsCodec.Encode(tensor)));
        });
    }

    [Fact]
    public void RawBytes_AnyStrings_RoundTrip()
    {
        Gen.Byte.Array[0, 16].Array[0, 16].Sample(elements =>
        {
            var tensor = TensorData.OfStrings("s", [elements.Length], elements);
            var decoded = RawContentsCodec.Decode(TensorHeader.Parse("inputs[0]", "s", "BYTES", [elements.Length]), "raw", RawContentsCodec.Encode(tensor));
            AssertEqual(tensor, decoded);
        });
    }

    private static DataType Parse(string datatype) => DataTypes.TryParse(datatype, out var type) ? type : throw new ArgumentException(datatype);
}
