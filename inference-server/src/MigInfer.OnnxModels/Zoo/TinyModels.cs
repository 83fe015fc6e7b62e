using MigInfer.OnnxModels.Graph;

namespace MigInfer.OnnxModels.Zoo;

/// <summary>
/// Small models whose outputs a test can compute by hand: the tiny MLP, one Identity model per
/// datatype, Add/Sub models with two inputs and two outputs, Not, a multi-output Cast and a model
/// whose first dimension is fixed (served without batching), and a doubling model with a paddable
/// sequence dimension.
/// </summary>
internal static class TinyModels
{
    /// <summary>Width of the per-datatype models: every one maps [batch, 4] to [batch, 4].</summary>
    private const long Width = 4;

    /// <summary>The fixed first dimension of <see cref="ModelZoo.FixedShape"/>.</summary>
    public const long FixedRows = 2;

    /// <summary>The types <see cref="ModelZoo.CastFp32"/> casts to; each output is named after its type in lower case.</summary>
    public static readonly IReadOnlyList<TensorElementType> CastTargets =
    [
        TensorElementType.Fp16, TensorElementType.Fp64, TensorElementType.Int64, TensorElementType.Int32,
        TensorElementType.Int8, TensorElementType.UInt8, TensorElementType.Bool,
    ];

    public static TinyMlpModel TinyMlp(int seed)
    {
        var g = new GraphBuilder(ModelZoo.TinyMlp, seed);
        var x = g.Input("input", TensorElementType.Fp32, Dimension.Batch, Dimension.Fixed(TinyMlpWeights.InputSize));
        var weights = new TinyMlpWeights(
            Uniform(g, TinyMlpWeights.InputSize * TinyMlpWeights.HiddenSize),
            Uniform(g, TinyMlpWeights.HiddenSize),
            Uniform(g, TinyMlpWeights.HiddenSize * TinyMlpWeights.OutputSize),
            Uniform(g, TinyMlpWeights.OutputSize));

        var w1 = g.Parameter("fc1.weight", [.. weights.W1], TinyMlpWeights.InputSize, TinyMlpWeights.HiddenSize);
        var b1 = g.Parameter("fc1.bias", [.. weights.B1], TinyMlpWeights.HiddenSize);
        var w2 = g.Parameter("fc2.weight", [.. weights.W2], TinyMlpWeights.HiddenSize, TinyMlpWeights.OutputSize);
        var b2 = g.Parameter("fc2.bias", [.. weights.B2], TinyMlpWeights.OutputSize);
        var hidden = g.Unary("Relu", g.Add(g.MatMul(x, w1), b1));
        g.Output(g.Add(g.MatMul(hidden, w2), b2), "output");
        return new TinyMlpModel(g.Build("Tiny MLP: output = relu(input·W1 + b1)·W2 + b2, FP32 [batch,4] to [batch,3]"), weights);
    }

    public static ZooModel Identity(TensorElementType type)
    {
        var g = new GraphBuilder(ModelZoo.IdentityModelName(type), seed: 0);
        var x = g.Input("input", type, Dimension.Batch, Dimension.Fixed(Width));
        g.Output(x, "output");
        return g.Build($"Identity on {type.ToString().ToUpperInvariant()} [batch,4]");
    }

    public static ZooModel AddSub(TensorElementType type)
    {
        var g = new GraphBuilder(ModelZoo.AddSubModelName(type), seed: 0);
        var a = g.Input("input0", type, Dimension.Batch, Dimension.Fixed(Width));
        var b = g.Input("input1", type, Dimension.Batch, Dimension.Fixed(Width));
        g.Output(g.Add(a, b), "sum");
        g.Output(g.Sub(a, b), "difference");
        return g.Build($"sum = input0 + input1, difference = input0 - input1 on {type.ToString().ToUpperInvariant()} [batch,4]");
    }

    public static ZooModel NotBool()
    {
        var g = new GraphBuilder(ModelZoo.NotBool, seed: 0);
        var x = g.Input("input", TensorElementType.Bool, Dimension.Batch, Dimension.Fixed(Width));
        g.Output(g.Unary("Not", x), "output");
        return g.Build("output = not input on BOOL [batch,4]");
    }

    public static ZooModel CastFp32()
    {
        var g = new GraphBuilder(ModelZoo.CastFp32, seed: 0);
        var x = g.Input("input", TensorElementType.Fp32, Dimension.Batch, Dimension.Fixed(Width));
        foreach (var type in CastTargets)
        {
            g.Output(g.Cast(x, type), type.ToString().ToLowerInvariant());
        }

        return g.Build("FP32 [batch,4] cast to one output per type, each named after its type (fp16, fp64, int64, int32, int8, uint8, bool)");
    }

    public static ZooModel SequenceDouble()
    {
        var g = new GraphBuilder(ModelZoo.SequenceDouble, seed: 0);
        var x = g.Input("input", TensorElementType.Fp32, Dimension.Batch, Dimension.Sequence);
        g.Output(g.Mul(x, g.ScalarFp32("two", 2f)), "output");
        g.Metadata(ModelZoo.PadDimensionsKey, Dimension.SequenceSymbol);
        return g.Build("2 * input on FP32 [batch,sequence], paddable along sequence");
    }

    public static ZooModel FixedShape()
    {
        var g = new GraphBuilder(ModelZoo.FixedShape, seed: 0);
        var x = g.Input("input", TensorElementType.Fp32, Dimension.Fixed(FixedRows), Dimension.Fixed(Width));
        g.Output(g.Mul(x, g.ScalarFp32("two", 2f)), "output");
        return g.Build("output = 2 * input on FP32 [2,4]; the first dimension is fixed, so it is not batchable");
    }

    private static float[] Uniform(GraphBuilder g, int count)
    {
        var data = new float[count];
        g.Random.FillUniform(data, 1.0);
        return data;
    }
}
