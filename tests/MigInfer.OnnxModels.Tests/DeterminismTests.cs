using MigInfer.OnnxModels.Onnx;

namespace MigInfer.OnnxModels.Tests;

public sealed class DeterminismTests
{
    public static TheoryData<string> SeededModels => [ModelZoo.ResNet50, ModelZoo.MobileNetV2, ModelZoo.BertBase, ModelZoo.TinyMlp];

    [Theory]
    [MemberData(nameof(SeededModels))]
    public void SameSeed_IdenticalBytes(string name)
    {
        var first = ModelZoo.Build(name, seed: 17, ModelScale.Reduced);
        var second = ModelZoo.Build(name, seed: 17, ModelScale.Reduced);

        Assert.True(first.OnnxBytes.Span.SequenceEqual(second.OnnxBytes.Span));
    }

    [Theory]
    [MemberData(nameof(SeededModels))]
    public void DifferentSeeds_SameGraphWithDifferentWeights(string name)
    {
        var first = ModelProto.Parser.ParseFrom(ModelZoo.Build(name, seed: 1, ModelScale.Reduced).OnnxBytes.Span);
        var second = ModelProto.Parser.ParseFrom(ModelZoo.Build(name, seed: 2, ModelScale.Reduced).OnnxBytes.Span);

        Assert.Equal(first.Graph.Node, second.Graph.Node);
        // LayerNorm starts as scale 1, shift 0 whatever the seed; every other weight is drawn.
        var weights = first.Graph.Initializer.Zip(second.Graph.Initializer)
            .Where(pair => pair.First.DataType == (int)TensorProto.Types.DataType.Float && pair.First.RawData.Length > 64)
            .Where(pair => !pair.First.Name.Contains("LayerNorm", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(weights);
        Assert.All(weights, pair => Assert.NotEqual(pair.First.RawData, pair.Second.RawData));
    }

    [Fact]
    public void TinyMlp_DifferentSeeds_ReturnDifferentWeights()
    {
        var first = ModelZoo.BuildTinyMlp(seed: 1).Weights;
        var second = ModelZoo.BuildTinyMlp(seed: 2).Weights;

        Assert.NotEqual(first.W1, second.W1);
        Assert.NotEqual(first.W2, second.W2);
    }
}
