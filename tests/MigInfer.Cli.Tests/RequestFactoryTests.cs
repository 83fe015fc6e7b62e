using MigInfer.Cli.Client;
using MigInfer.Cli.Tests.Fixtures;
using MigInfer.InferenceServer.Protocol;

namespace MigInfer.Cli.Tests;

public sealed class RequestFactoryTests
{
    [Theory]
    [InlineData("16", 16, 16)]
    [InlineData("8-64", 8, 64)]
    [InlineData("5-5", 5, 5)]
    public void Sequence_IsALengthOrARange(string text, int min, int max) =>
        Assert.Equal(new SequenceLengths(min, max), SequenceLengths.Parse(text));

    [Theory]
    [InlineData("0")]
    [InlineData("64-8")]
    [InlineData("8-")]
    [InlineData("-8")]
    [InlineData("8-16-32")]
    [InlineData("5000")]
    [InlineData("ten")]
    public void BadSequence_NamesTheOptionAndTheValue(string text)
    {
        var error = Assert.Throws<FormatException>(() => SequenceLengths.Parse(text));

        Assert.StartsWith($"--sequence {text} is not a length or a range MIN-MAX", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RangeOfLengths_EachRequestDrawsOneForAllItsInputs()
    {
        var metadata = new ModelMetadataResponse { Name = "bert" };
        foreach (var name in new[] { "input_ids", "attention_mask" })
        {
            var input = new ModelMetadataResponse.Types.TensorMetadata { Name = name, Datatype = "INT64" };
            input.Shape.Add([-1, -1]);
            metadata.Inputs.Add(input);
        }

        var factory = new RequestFactory(metadata, new SequenceLengths(4, 12), seed: 3);
        var lengths = Enumerable.Range(0, 200).Select(_ => factory.Create(batch: 2)).Select(r =>
        {
            Assert.Equal(r.Inputs[0].Shape, r.Inputs[1].Shape);
            Assert.Equal(2, r.Inputs[0].Shape[0]);
            return r.Inputs[0].Shape[1];
        }).ToHashSet();

        Assert.Equal(Enumerable.Range(4, 9).Select(l => (long)l).ToHashSet(), lengths);
    }

    [Fact]
    public async Task BenchWithABadSequence_ExitsTwoWithoutContactingAServer()
    {
        var home = Directory.CreateTempSubdirectory("miginfer-home-").FullName;
        try
        {
            var (code, _, stderr) = await CliProcess.RunIn(home, home, "bench", "--service", "bert", "--rate", "5", "--sequence", "64-8");

            Assert.Equal(2, code);
            Assert.Contains("miginfer bench: --sequence 64-8 is not a length or a range MIN-MAX", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
