using MigInfer.OnnxModels.Tests.Fixtures;

namespace MigInfer.OnnxModels.Tests;

public sealed class ZooModelRunTests
{
    private const long Sequence = 16;

    public static TheoryData<string> AllNames => [.. ModelZoo.Names];

    [Theory]
    [MemberData(nameof(AllNames))]
    public void ReducedModel_LoadsInOnnxRuntime_MetadataMatchesCard(string name)
    {
        var model = ModelZoo.Build(name, seed: 3, ModelScale.Reduced);
        using var runner = new OrtRunner(model);

        Assert.Equal(model.Card.Inputs.Select(i => i.Name), runner.Session.InputNames);
        Assert.Equal(model.Card.Outputs.Select(o => o.Name), runner.Session.OutputNames);
        foreach (var spec in model.Card.Inputs.Concat(model.Card.Outputs))
        {
            var metadata = runner.Session.InputMetadata.TryGetValue(spec.Name, out var input)
                ? input
                : runner.Session.OutputMetadata[spec.Name];
            Assert.Equal(spec.ElementType, OrtRunner.ToZooType(metadata.ElementDataType));
            Assert.Equal(spec.OnnxRuntimeShape(), metadata.Dimensions.Select(d => (long)d));
            Assert.Equal(spec.Shape.Select(d => d.Symbol ?? ""), metadata.SymbolicDimensions);
        }
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void ReducedModel_RunsAtBatchOneAndMany_OutputShapesMatchCard(string name)
    {
        var model = ModelZoo.Build(name, seed: 3, ModelScale.Reduced);
        using var runner = new OrtRunner(model);
        long[] batches = model.Card.IsBatchable ? [1, 3] : [model.Card.Inputs[0].Shape[0].Size!.Value];

        foreach (var batch in batches)
        {
            using var inputs = SampleInputs.For(model.Card, batch, Sequence, seed: 11);
            var outputs = runner.Run(inputs);
            foreach (var spec in model.Card.Outputs)
            {
                Assert.Equal(SampleInputs.Bind(spec.Shape, batch, Sequence), outputs[spec.Name].Shape);
                if (outputs[spec.Name].Data is float[] values)
                {
                    Assert.All(values, v => Assert.True(float.IsFinite(v), $"{name}/{spec.Name} has {v}"));
                }
            }
        }
    }

    [Fact]
    public void BatchedRun_EqualsPerSampleRuns()
    {
        var model = ModelZoo.Build(ModelZoo.BertBase, seed: 5, ModelScale.Reduced);
        using var runner = new OrtRunner(model);
        using var batched = SampleInputs.For(model.Card, batch: 2, Sequence, seed: 9);
        var ids = batched.Values["input_ids"].GetTensorDataAsSpan<long>().ToArray();
        var mask = batched.Values["attention_mask"].GetTensorDataAsSpan<long>().ToArray();

        var together = runner.Run(batched)["logits"].As<float>();
        for (var row = 0; row < 2; row++)
        {
            using var single = new OrtInputs()
                .Add("input_ids", ids.AsSpan((int)(row * Sequence), (int)Sequence).ToArray(), 1, Sequence)
                .Add("attention_mask", mask.AsSpan((int)(row * Sequence), (int)Sequence).ToArray(), 1, Sequence);
            var alone = runner.Run(single)["logits"].As<float>();
            Assert.Equal(alone, together.AsSpan(row * 2, 2).ToArray(), (a, b) => Math.Abs(a - b) < 1e-4);
        }
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public void BertEncoder_LastTokenChanges_LogitsChangeOnlyWhenUnmasked(long lastMask, bool expectEqual)
    {
        var model = ModelZoo.Build(ModelZoo.BertBase, seed: 5, ModelScale.Reduced);
        using var runner = new OrtRunner(model);
        long[] mask = [1, 1, 1, lastMask];
        using var first = new OrtInputs().Add("input_ids", new long[] { 7, 8, 9, 10 }, 1, 4).Add("attention_mask", mask, 1, 4);
        using var second = new OrtInputs().Add("input_ids", new long[] { 7, 8, 9, 99 }, 1, 4).Add("attention_mask", mask, 1, 4);

        var a = runner.Run(first)["logits"].As<float>();
        var b = runner.Run(second)["logits"].As<float>();

        Assert.Equal(expectEqual, a.Zip(b).All(pair => Math.Abs(pair.First - pair.Second) < 1e-5));
    }

    [Fact]
    public void Write_WritesTheBuiltBytes_ReturnsTheCard()
    {
        var path = Path.Combine(Path.GetTempPath(), $"miginfer-{Guid.NewGuid():N}.onnx");
        try
        {
            var card = ModelZoo.Write(ModelZoo.TinyMlp, path, seed: 4);

            var built = ModelZoo.Build(ModelZoo.TinyMlp, seed: 4);
            Assert.Equal(built.OnnxBytes.ToArray(), File.ReadAllBytes(path));
            Assert.Equal(built.Card.FlopsPerSample, card.FlopsPerSample);
            Assert.Equal(ModelZoo.TinyMlp, card.Name);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Build_UnknownName_ThrowsNamingTheKnownModels()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelZoo.Build("resnet51"));

        Assert.Contains("resnet51", error.Message, StringComparison.Ordinal);
        Assert.Contains(ModelZoo.ResNet50, error.Message, StringComparison.Ordinal);
    }
}
