using System.Text.Json;
using Google.Protobuf;
using MigInfer.InferenceServer.Protocol;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Tests.Tensors;

public sealed class CodecValidationTests
{
    public static TheoryData<string, long[], string[]> HeaderCases => new()
    {
        { "FLOAT32", [1], ["'FLOAT32'", "inputs[0].datatype", "FP32"] },
        { "FP32", [2, -3], ["inputs[0].shape", "[2,-3]", "negative dimension -3"] },
        { "FP32", [1L << 30, 1L << 30, 1L << 30], ["inputs[0].shape", "more than"] },
    };

    [Theory]
    [MemberData(nameof(HeaderCases))]
    public void BadHeader_IsInvalidArgumentNamingFieldAndValue(string datatype, long[] shape, string[] expected) =>
        AssertInvalid(() => TensorHeader.Parse("inputs[0]", "x", datatype, shape), expected);

    [Fact]
    public void EmptyName_IsInvalidArgument() =>
        AssertInvalid(() => TensorHeader.Parse("inputs[3]", "", "FP32", [1]), ["inputs[3].name"]);

    public static TheoryData<string, long[], InferTensorContents, string[]> TypedCases => new()
    {
        { "FP32", [2, 3], Contents(c => c.Fp32Contents.AddRange([1, 2, 3, 4, 5])), ["'x'", "contents.fp32_contents", "5 elements", "[2,3]", "needs 6"] },
        { "FP32", [1], Contents(c => c.IntContents.Add(1)), ["contents.int_contents", "is set (1 values)", "FP32 uses contents.fp32_contents"] },
        { "INT8", [2], Contents(c => c.IntContents.AddRange([1, 300])), ["contents.int_contents[1]", "value 300", "INT8"] },
        { "UINT8", [1], Contents(c => c.UintContents.Add(256)), ["contents.uint_contents[0]", "value 256", "UINT8"] },
        { "INT16", [1], Contents(c => c.IntContents.Add(-40000)), ["contents.int_contents[0]", "-40000", "INT16"] },
        { "UINT16", [1], Contents(c => c.UintContents.Add(70000)), ["contents.uint_contents[0]", "70000", "UINT16"] },
        { "FP16", [1], Contents(c => c.Fp32Contents.Add(1)), ["'x'", "inputs[0].contents", "FP16", "raw_input_contents"] },
        { "BF16", [1], new InferTensorContents(), ["inputs[0].contents", "BF16"] },
        { "BYTES", [2], Contents(c => c.BytesContents.Add(ByteString.CopyFromUtf8("a"))), ["contents.bytes_contents", "1 elements", "needs 2"] },
        { "BOOL", [1], Contents(c => c.BoolContents.AddRange([true, false])), ["contents.bool_contents", "2 elements"] },
    };

    [Theory]
    [MemberData(nameof(TypedCases))]
    public void BadTypedContents_IsInvalidArgumentNamingTensorFieldAndValues(string datatype, long[] shape, InferTensorContents contents, string[] expected) =>
        AssertInvalid(() => TypedContentsCodec.Decode(TensorHeader.Parse("inputs[0]", "x", datatype, shape), contents), expected);

    public static TheoryData<string, long[], byte[], string[]> RawCases => new()
    {
        { "FP32", [2], new byte[7], ["'x'", "raw_input_contents[0]", "7 bytes", "needs 8"] },
        { "INT64", [1], new byte[16], ["16 bytes", "needs 8"] },
        { "BOOL", [2], [1, 2], ["raw_input_contents[0][1]", "byte 2", "BOOL"] },
        { "BYTES", [1], [5, 0, 0], ["raw_input_contents[0]", "length prefix of element 0"] },
        { "BYTES", [1], [9, 0, 0, 0, 1], ["element 0 declares 9 bytes", "only 1 remain"] },
        { "BYTES", [2], [1, 0, 0, 0, 65], ["1 elements", "needs 2"] },
    };

    [Theory]
    [MemberData(nameof(RawCases))]
    public void BadRawContents_IsInvalidArgumentNamingTensorFieldAndValues(string datatype, long[] shape, byte[] raw, string[] expected) =>
        AssertInvalid(() => RawContentsCodec.Decode(TensorHeader.Parse("inputs[0]", "x", datatype, shape), "raw_input_contents[0]", raw), expected);

    public static TheoryData<string, long[], string, string[]> JsonCases => new()
    {
        { "FP32", [2], "[1]", ["'x'", "inputs[0].data", "1 elements", "needs 2"] },
        { "FP32", [1], "{\"a\":1}", ["inputs[0].data", "Object", "array"] },
        { "FP32", [1], "[\"one\"]", ["inputs[0].data[0]", "one", "numbers"] },
        { "INT8", [1], "[128]", ["inputs[0].data[0]", "128", "INT8"] },
        { "INT32", [1], "[1.5]", ["inputs[0].data[0]", "1.5", "INT32"] },
        { "UINT64", [1], "[-1]", ["inputs[0].data[0]", "-1", "UINT64"] },
        { "BOOL", [1], "[1]", ["inputs[0].data[0]", "true or false"] },
        { "BYTES", [1], "[1]", ["inputs[0].data[0]", "strings"] },
        { "FP32", [1], "[1,[2,3]]", ["inputs[0].data", "needs 1"] },
    };

    [Theory]
    [MemberData(nameof(JsonCases))]
    public void BadJsonData_IsInvalidArgumentNamingTensorFieldAndValues(string datatype, long[] shape, string json, string[] expected)
    {
        using var document = JsonDocument.Parse(json);
        AssertInvalid(() => JsonTensorCodec.Decode(TensorHeader.Parse("inputs[0]", "x", datatype, shape), document.RootElement), expected);
    }

    private static InferTensorContents Contents(Action<InferTensorContents> fill)
    {
        var contents = new InferTensorContents();
        fill(contents);
        return contents;
    }

    private static void AssertInvalid(Action action, string[] expected)
    {
        var error = Assert.Throws<InferenceException>(action);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        foreach (var part in expected)
        {
            Assert.Contains(part, error.Message, StringComparison.Ordinal);
        }
    }
}
