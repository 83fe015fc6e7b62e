using MigInfer.OnnxModels.Onnx;

namespace MigInfer.OnnxModels.Tests;

public sealed class ModelCardTests
{
    public static TheoryData<string> AllNames => [.. ModelZoo.Names];

    [Theory]
    [MemberData(nameof(AllNames))]
    public void Card_CountsAndSignature_MatchTheWrittenGraph(string name)
    {
        var model = ModelZoo.Build(name, seed: 2, ModelScale.Reduced);
        var graph = ModelProto.Parser.ParseFrom(model.OnnxBytes.Span).Graph;

        var floats = graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float);
        Assert.Equal(graph.Initializer.Sum(t => (long)t.RawData.Length), model.Card.WeightBytes);
        // Scalar FP32 initializers are formula constants (0.5 in Gelu, Relu6 bounds), not parameters.
        Assert.Equal(floats.Where(t => t.Dims.Count > 0).Sum(t => t.Dims.Aggregate(1L, (a, b) => a * b)), model.Card.ParameterCount);
        Assert.Equal(graph.Input.Select(i => i.Name), model.Card.Inputs.Select(i => i.Name));
        Assert.Equal(graph.Output.Select(o => o.Name), model.Card.Outputs.Select(o => o.Name));
        Assert.Equal(name, model.Card.Name);
    }

    [Fact]
    public void Model_Header_IsOpset17AndIrVersion8()
    {
        var proto = ModelProto.Parser.ParseFrom(ModelZoo.Build(ModelZoo.TinyMlp).OnnxBytes.Span);

        Assert.Equal(8, proto.IrVersion);
        Assert.Equal(17, proto.OpsetImport.Single(o => o.Domain == "").Version);
    }

    [Fact]
    public void ReducedBert_Flops_MatchTheAnalyticCount()
    {
        var card = ModelZoo.Build(ModelZoo.BertBase, scale: ModelScale.Reduced).Card;

        Assert.Equal(FullSizeModelTests.BertFlops(layers: 2, hidden: 128, intermediate: 512, sequence: 128), card.FlopsPerSample);
    }

    [Fact]
    public void LargeModels_Signatures_AreTheDocumentedOnes()
    {
        var resNet = ModelZoo.Build(ModelZoo.ResNet50, scale: ModelScale.Reduced).Card;
        var mobileNet = ModelZoo.Build(ModelZoo.MobileNetV2, scale: ModelScale.Reduced).Card;
        var bert = ModelZoo.Build(ModelZoo.BertBase, scale: ModelScale.Reduced).Card;

        Assert.Equal(["input: FP32[batch,3,224,224]", "logits: FP32[batch,1000]"], Signature(resNet));
        Assert.Equal(["input: FP32[batch,3,224,224]", "logits: FP32[batch,1000]"], Signature(mobileNet));
        Assert.Equal(
            ["input_ids: INT64[batch,sequence]", "attention_mask: INT64[batch,sequence]", "logits: FP32[batch,2]"],
            Signature(bert));
    }

    [Fact]
    public void ReducedModels_AreMuchSmallerThanFullOnes()
    {
        var resNet = ModelZoo.Build(ModelZoo.ResNet50, scale: ModelScale.Reduced).Card;

        Assert.InRange(resNet.ParameterCount, 100_000, 1_000_000);
        Assert.InRange(resNet.FlopsPerSample, 8.1e9 / 100, 8.1e9 / 20);
    }

    private static string[] Signature(ModelCard card) => [.. card.Inputs.Concat(card.Outputs).Select(s => s.ToString())];
}
