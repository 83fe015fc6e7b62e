using MigInfer.OnnxModels.Tests.Fixtures;

namespace MigInfer.OnnxModels.Tests;

/// <summary>
/// The published architectures at full size. FLOPs convention: 2 per multiply-accumulate of
/// Conv/Gemm/MatMul, other operators not counted.
/// </summary>
public sealed class FullSizeModelTests(FullSizeModels models) : IClassFixture<FullSizeModels>
{
    [Fact]
    public void ResNet50_FlopsPerSample_IsTheKnown4Point09GigaMacs()
    {
        var card = models.ResNet50.Card;

        // 4,089,184,256 multiply-accumulates is the count published for torchvision's resnet50.
        Assert.Equal(2 * 4_089_184_256L, card.FlopsPerSample);
        Assert.InRange(card.FlopsPerSample, 8.1e9, 8.3e9);
    }

    [Fact]
    public void ResNet50_Parameters_AreTorchvisionsWithBatchNormFoldedIntoBiases()
    {
        // torchvision: 25,557,032 parameters, 53,120 of them BatchNorm scale and shift over 26,560
        // channels; folding leaves one bias per channel.
        var card = models.ResNet50.Card;

        Assert.Equal(25_557_032L - 53_120 + 26_560, card.ParameterCount);
        Assert.Equal(card.ParameterCount * sizeof(float), card.WeightBytes);
    }

    [Fact]
    public void BertBase_FlopsAtSequence128_MatchTheAnalyticCountOfAbout22Giga()
    {
        var card = models.BertBase.Card;

        Assert.Equal(128, card.FlopsShapeBindings[Dimension.SequenceSymbol]);
        Assert.Equal(BertFlops(layers: 12, hidden: 768, intermediate: 3072, sequence: 128), card.FlopsPerSample);
        Assert.InRange(card.FlopsPerSample, 21.5e9, 23e9);
    }

    [Fact]
    public void BertBase_Parameters_AreThoseOfBertForSequenceClassification()
    {
        Assert.Equal(109_483_778L, models.BertBase.Card.ParameterCount);
    }

    [Fact]
    public void MobileNetV2_Card_MatchesThePublishedSize()
    {
        var card = models.MobileNetV2.Card;

        // Published: 300M multiply-adds and 3.4M parameters (3.50M in torchvision with BatchNorm).
        Assert.InRange(card.FlopsPerSample, 2 * 295e6, 2 * 305e6);
        Assert.InRange(card.ParameterCount, 3.4e6, 3.52e6);
    }

    [Theory]
    [InlineData(ModelZoo.ResNet50)]
    [InlineData(ModelZoo.MobileNetV2)]
    [InlineData(ModelZoo.BertBase)]
    public void FullSizeModel_RunsInOnnxRuntimeAtBatchTwo(string name)
    {
        var model = models.Get(name);
        using var runner = new OrtRunner(model);
        using var inputs = SampleInputs.For(model.Card, batch: 2, sequence: 8, seed: 3);

        var output = runner.Run(inputs)["logits"];

        Assert.Equal(SampleInputs.Bind(model.Card.Outputs[0].Shape, 2, 8), output.Shape);
        Assert.All(output.As<float>(), v => Assert.True(float.IsFinite(v)));
    }

    /// <summary>
    /// Per layer: Q, K, V and output projections (4·S·H²), scores and context (2·S²·H), FFN
    /// (2·S·H·I); then the pooler on one token (H²) and the 2-way classifier (2·H).
    /// </summary>
    internal static long BertFlops(long layers, long hidden, long intermediate, long sequence)
    {
        var perLayer = (4 * sequence * hidden * hidden) + (2 * sequence * sequence * hidden) + (2 * sequence * hidden * intermediate);
        return 2 * ((layers * perLayer) + (hidden * hidden) + (2 * hidden));
    }
}
