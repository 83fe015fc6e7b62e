using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Tests.Model;

public sealed class DimensionLimitsTests
{
    private static readonly (string, IReadOnlyList<string>)[] BertInputs =
        [("input_ids", ["batch", "sequence"]), ("attention_mask", ["batch", "sequence"]), ("pixels", ["batch", "", "height"])];

    private static readonly Dictionary<string, long> NoOption = [];

    [Theory]
    [InlineData("sequence=512", "sequence", 512L)]
    [InlineData(" sequence = 512 ,height=7", "height", 7L)]
    public void Parse_ReadsNameEqualsLength(string text, string name, long length) =>
        Assert.Equal(length, DimensionLimits.Parse(text)![name]);

    [Theory]
    [InlineData("sequence")]
    [InlineData("sequence=")]
    [InlineData("=512")]
    [InlineData("sequence=0")]
    [InlineData("sequence=-3")]
    [InlineData("sequence=1.5")]
    [InlineData("sequence=1,sequence=2")]
    [InlineData(",")]
    public void Parse_RefusesAnythingElse(string text) => Assert.Null(DimensionLimits.Parse(text));

    [Fact]
    public void Create_LimitsEveryInputAxisWithTheName_NeverTheBatch()
    {
        var limits = DimensionLimits.Create("sequence=512", NoOption, "--max-dims", BertInputs);

        Assert.Equal([new LimitedAxis(1, "sequence", 512)], limits.Inputs[0]);
        Assert.Equal([new LimitedAxis(1, "sequence", 512)], limits.Inputs[1]);
        Assert.Empty(limits.Inputs[2]);
    }

    [Fact]
    public void Create_TheServersLimitsAddToTheModelsAndWin()
    {
        var limits = DimensionLimits.Create("sequence=512", new Dictionary<string, long> { ["sequence"] = 128, ["height"] = 64 }, "--max-dims", BertInputs);

        Assert.Equal(new Dictionary<string, long> { ["sequence"] = 128, ["height"] = 64 }, limits.BySymbol);
        Assert.Equal([new LimitedAxis(2, "height", 64)], limits.Inputs[2]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void Create_WithNeither_LimitsNothing(string? declared) =>
        Assert.True(DimensionLimits.Create(declared, NoOption, "--max-dims", BertInputs).IsEmpty);

    [Theory]
    [InlineData("sequence=512,tokens=9", "model metadata miginfer.max_dims = 'sequence=512,tokens=9': 'tokens' is not a symbolic dimension of any input past the first (inputs: input_ids[batch,sequence], attention_mask[batch,sequence], pixels[batch,?,height])")]
    [InlineData("batch=8", "model metadata miginfer.max_dims = 'batch=8': 'batch' is the batch dimension, which --max-batch-size limits")]
    [InlineData("sequence:512", "model metadata miginfer.max_dims = 'sequence:512' is not a comma-separated list of dimension=length")]
    public void Create_AWrongDeclaration_NamesTheKeyAndTheDimension(string declared, string expected)
    {
        var error = Assert.Throws<NotSupportedException>(() => DimensionLimits.Create(declared, NoOption, "--max-dims", BertInputs));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_AServerLimitOnAnUnknownName_NamesTheOption()
    {
        var error = Assert.Throws<NotSupportedException>(() =>
            DimensionLimits.Create(null, new Dictionary<string, long> { ["seq"] = 128 }, "--max-dims (MIGINFER_MAX_DIMS)", BertInputs));

        Assert.StartsWith("--max-dims (MIGINFER_MAX_DIMS): 'seq' is not a symbolic dimension of any input past the first", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TakesTheLongestLength_AndRefusesOneMoreNamingInputAxisAndBothLengths()
    {
        var signature = Signature(DimensionLimits.Create("sequence=4", NoOption, "--max-dims", [("input_ids", ["batch", "sequence"])]));

        Assert.Equal(2, signature.Validate([Ids(2, 4)]).BatchSize);
        var error = Assert.Throws<InferenceException>(() => signature.Validate([Ids(1, 5)]));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("input 'input_ids': shape[1] (sequence) is 5 but model 'bert' takes at most 4", error.Message);
    }

    [Fact]
    public void Validate_WithoutLimits_TakesAnyLength() =>
        Assert.Equal(1, Signature(DimensionLimits.None).Validate([Ids(1, 5000)]).BatchSize);

    private static ModelSignature Signature(DimensionLimits limits) =>
        new("bert", [new TensorSpec("input_ids", DataType.Int64, [-1, -1])], [new TensorSpec("logits", DataType.Fp32, [-1, 2])], 8, limits: limits);

    private static TensorData Ids(long batch, long sequence) =>
        TensorData.Numeric("input_ids", DataType.Int64, [batch, sequence], new byte[batch * sequence * sizeof(long)]);
}
