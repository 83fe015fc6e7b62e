using CsCheck;
using MigInfer.OnnxModels.Tests.Fixtures;

namespace MigInfer.OnnxModels.Tests;

public sealed class TinyMlpTests
{
    private const float Tolerance = 1e-5f;

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 5)]
    [InlineData(42, 16)]
    public void TinyMlp_Output_EqualsTheValueComputedFromTheReturnedWeights(int seed, int batch)
    {
        var mlp = ModelZoo.BuildTinyMlp(seed);
        using var runner = new OrtRunner(mlp.Model);
        var random = new Random(seed + 100);
        var input = Enumerable.Range(0, batch * 4).Select(_ => (float)((random.NextDouble() * 6) - 3)).ToArray();
        using var inputs = new OrtInputs().Add("input", input, batch, 4);

        var output = runner.Run(inputs)["output"];

        Assert.Equal([batch, 3L], output.Shape);
        Assert.Equal(Reference(mlp.Weights, input), output.As<float>(), (a, b) => Math.Abs(a - b) <= Tolerance);
    }

    [Fact]
    public void TinyMlp_AnyInput_OnnxRuntimeAndEvaluateAgreeWithTheReference()
    {
        var mlp = ModelZoo.BuildTinyMlp(seed: 9);
        using var runner = new OrtRunner(mlp.Model);

        Gen.Int[1, 8].SelectMany(rows => Gen.Float[-10f, 10f].Array[rows * 4]).Sample(input =>
        {
            using var inputs = new OrtInputs().Add("input", input, input.Length / 4, 4);
            var expected = Reference(mlp.Weights, input);
            var fromOrt = runner.Run(inputs)["output"].As<float>();
            var fromEvaluate = mlp.Weights.Evaluate(input);
            return Close(expected, fromOrt) && Close(expected, fromEvaluate);
        }, iter: 200);
    }

    [Fact]
    public void TinyMlp_Card_DescribesTheGraph()
    {
        var card = ModelZoo.BuildTinyMlp(seed: 1).Model.Card;

        Assert.Equal("input: FP32[batch,4]", card.Inputs.Single().ToString());
        Assert.Equal("output: FP32[batch,3]", card.Outputs.Single().ToString());
        Assert.Equal((4 * 8) + 8 + (8 * 3) + 3, card.ParameterCount);
        Assert.Equal(card.ParameterCount * sizeof(float), card.WeightBytes);
        Assert.Equal(2 * ((4 * 8) + (8 * 3)), card.FlopsPerSample);
    }

    private static bool Close(float[] expected, float[] actual) =>
        expected.Length == actual.Length && expected.Zip(actual).All(p => Math.Abs(p.First - p.Second) <= Tolerance * Math.Max(1, Math.Abs(p.First)));

    /// <summary>relu(x·W1 + b1)·W2 + b2 in double precision, written independently of the library.</summary>
    private static float[] Reference(TinyMlpWeights w, float[] input)
    {
        var rows = input.Length / 4;
        var output = new float[rows * 3];
        for (var r = 0; r < rows; r++)
        {
            var hidden = new double[8];
            for (var h = 0; h < 8; h++)
            {
                hidden[h] = w.B1[h];
                for (var i = 0; i < 4; i++)
                {
                    hidden[h] += (double)input[(r * 4) + i] * w.W1[(i * 8) + h];
                }

                hidden[h] = Math.Max(0, hidden[h]);
            }

            for (var o = 0; o < 3; o++)
            {
                var sum = (double)w.B2[o];
                for (var h = 0; h < 8; h++)
                {
                    sum += hidden[h] * w.W2[(h * 3) + o];
                }

                output[(r * 3) + o] = (float)sum;
            }
        }

        return output;
    }
}
