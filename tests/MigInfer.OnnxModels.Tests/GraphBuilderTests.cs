using MigInfer.OnnxModels.Graph;
using MigInfer.OnnxModels.Tests.Fixtures;

namespace MigInfer.OnnxModels.Tests;

public sealed class GraphBuilderTests
{
    public static TheoryData<string, string, string> BroadcastCases => new()
    {
        { "batch,sequence,768", "sequence,768", "batch,sequence,768" },
        { "batch,12,sequence,sequence", "batch,1,1,sequence", "batch,12,sequence,sequence" },
        { "batch,4", "", "batch,4" },
        { "1,4", "batch,1", "batch,4" },
    };

    [Theory]
    [MemberData(nameof(BroadcastCases))]
    public void Broadcast_CompatibleShapes_FollowNumpyRules(string a, string b, string expected)
    {
        Assert.Equal(expected, string.Join(",", Shapes.Broadcast(Parse(a), Parse(b))));
    }

    [Fact]
    public void Broadcast_MismatchedFixedSizes_Throws()
    {
        Assert.Throws<ArgumentException>(() => Shapes.Broadcast(Parse("batch,3"), Parse("batch,4")));
    }

    [Theory]
    [InlineData(224, 7, 2, 3, 112)]
    [InlineData(112, 3, 2, 1, 56)]
    [InlineData(56, 1, 2, 0, 28)]
    [InlineData(7, 3, 1, 1, 7)]
    public void Window_ConvolutionArithmetic(long input, long kernel, long stride, long pad, long expected)
    {
        Assert.Equal(Dimension.Fixed(expected), Shapes.Window(Dimension.Fixed(input), kernel, stride, pad, pad));
    }

    [Fact]
    public void Reshape_TwoUnknownSymbolicDimensions_IsRejectedAsAmbiguous()
    {
        var g = new GraphBuilder("test", seed: 0);
        var x = g.Input("x", TensorElementType.Fp32, Dimension.Batch, Dimension.Fixed(8));

        Assert.Throws<ArgumentException>(() => g.Reshape(x, Dimension.Symbolic("a"), Dimension.Symbolic("b")));
    }

    [Fact]
    public void MatMul_CountsTwoFlopsPerMultiplyAccumulateWithSymbolsBound()
    {
        var bindings = new Dictionary<string, long> { [Dimension.SequenceSymbol] = 10 };
        var g = new GraphBuilder("test", seed: 0, bindings);
        var x = g.Input("x", TensorElementType.Fp32, Dimension.Batch, Dimension.Sequence, Dimension.Fixed(6));
        g.Output(g.MatMul(x, g.NormalParameter("w", 1, 6, 5)), "y");

        var card = g.Build("test");

        Assert.Equal(2 * 10 * 6 * 5, card.Card.FlopsPerSample);
        Assert.Equal(30, card.Card.ParameterCount);
    }

    [Fact]
    public void Output_WithANameAlreadyTaken_Throws()
    {
        var g = new GraphBuilder("test", seed: 0);
        var x = g.Input("x", TensorElementType.Fp32, Dimension.Batch);

        Assert.Throws<InvalidOperationException>(() => g.Output(g.Unary("Relu", x), "x"));
    }

    [Fact]
    public void Output_ValueExportedTwiceAndUsedAfterwards_StaysConnected()
    {
        var g = new GraphBuilder("test", seed: 0);
        var x = g.Input("x", TensorElementType.Fp32, Dimension.Batch, Dimension.Fixed(2));
        var relu = g.Unary("Relu", x);
        g.Output(relu, "first");
        g.Output(relu, "second");
        g.Output(g.Unary("Neg", relu), "negated");
        using var runner = new OrtRunner(g.Build("test"));
        using var inputs = new OrtInputs().Add("x", new[] { -1f, 2f }, 1, 2);

        var outputs = runner.Run(inputs);

        Assert.Equal([0f, 2f], outputs["first"].As<float>());
        Assert.Equal([0f, 2f], outputs["second"].As<float>());
        Assert.Equal([-0f, -2f], outputs["negated"].As<float>());
    }

    [Fact]
    public void NormalWeights_HaveTheRequestedMeanAndDeviation()
    {
        var random = new SeededRandom(5);
        var samples = new float[100_000];

        random.FillNormal(samples, std: 2);

        var mean = samples.Average();
        var std = Math.Sqrt(samples.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, -0.03, 0.03);
        Assert.InRange(std, 1.97, 2.03);
    }

    private static Dimension[] Parse(string shape) =>
        [.. shape.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => long.TryParse(d, out var size) ? Dimension.Fixed(size) : Dimension.Symbolic(d))];
}
