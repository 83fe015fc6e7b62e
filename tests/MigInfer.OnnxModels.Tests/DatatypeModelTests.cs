using Microsoft.ML.OnnxRuntime;
using MigInfer.OnnxModels.Tests.Fixtures;

namespace MigInfer.OnnxModels.Tests;

public sealed class DatatypeModelTests
{
    private static readonly long[] Int64Extremes = [long.MinValue, long.MaxValue, 0L, -1L, 1L, 1L << 40, -(1L << 50), 7L];
    private static readonly int[] Int32Extremes = [int.MinValue, int.MaxValue, 0, -1, 1, 1 << 20, -(1 << 25), 7];
    private static readonly bool[] Bools = [true, false, false, true, true, true, false, false];
    private static readonly string[] Strings = ["", "hello", "ünïcödé", "with space", "a", "\t", "0123456789", "z"];

    public static TheoryData<TensorElementType, Array> IdentityCases => new()
    {
        { TensorElementType.Fp32, new[] { 1.5f, -2.25f, 0f, float.MaxValue, float.Epsilon, -0f, 1e-30f, 3.14159f } },
        { TensorElementType.Fp16, Halves(1.5f, -2.25f, 0f, 65504f, -65504f, 0.000061035156f, 1024f, -0.5f) },
        { TensorElementType.Fp64, new[] { 1.5, -2.25, 0, double.MaxValue, double.Epsilon, Math.PI, -1e300, 42 } },
        { TensorElementType.Int64, Int64Extremes },
        { TensorElementType.Int32, Int32Extremes },
        { TensorElementType.Int8, new sbyte[] { sbyte.MinValue, sbyte.MaxValue, 0, -1, 1, 64, -64, 7 } },
        { TensorElementType.UInt8, new byte[] { 0, 255, 1, 128, 127, 64, 200, 7 } },
        { TensorElementType.Bool, Bools },
        { TensorElementType.Bytes, Strings },
    };

    [Theory]
    [MemberData(nameof(IdentityCases))]
    public void IdentityModel_EveryDatatype_ReturnsTheInputExactly(TensorElementType type, Array values)
    {
        var model = ModelZoo.Build(ModelZoo.IdentityModelName(type));
        using var runner = new OrtRunner(model);
        using var inputs = Inputs(("input", values));

        var output = runner.Run(inputs)["output"];

        Assert.Equal([2L, 4L], output.Shape);
        Assert.Equal(values.Cast<object>(), output.Data.Cast<object>());
        Assert.Equal(type, model.Card.Outputs[0].ElementType);
    }

    public static TheoryData<TensorElementType> AddSubTypes => [.. ModelZoo.AddSubTypes];

    [Theory]
    [MemberData(nameof(AddSubTypes))]
    public void AddSubModel_EveryNumericType_ReturnsExactSumAndDifference(TensorElementType type)
    {
        long[] a = [1, 2, 3, 4, 50, 60, 70, 100];
        long[] b = [0, 1, 2, 3, 10, 20, 30, 27];
        using var runner = new OrtRunner(ModelZoo.Build(ModelZoo.AddSubModelName(type)));
        using var inputs = Inputs(("input0", Typed(type, a)), ("input1", Typed(type, b)));

        var outputs = runner.Run(inputs);

        Assert.Equal(Typed(type, [.. a.Zip(b, (x, y) => x + y)]).Cast<object>(), outputs["sum"].Data.Cast<object>());
        Assert.Equal(Typed(type, [.. a.Zip(b, (x, y) => x - y)]).Cast<object>(), outputs["difference"].Data.Cast<object>());
    }

    [Fact]
    public void AddSubModel_OneRequestedOutput_ReturnsOnlyThatOutput()
    {
        using var runner = new OrtRunner(ModelZoo.Build(ModelZoo.AddSubModelName(TensorElementType.Int32)));
        int[] left = [5, 6, 7, 8];
        int[] right = [1, 1, 1, 1];
        using var inputs = Inputs(("input0", left), ("input1", right));

        var outputs = runner.Run(inputs, "difference");

        Assert.Equal(["difference"], outputs.Keys);
        Assert.Equal([4, 5, 6, 7], outputs["difference"].As<int>());
    }

    [Fact]
    public void NotModel_Bools_ReturnsNegation()
    {
        bool[] values = [true, false, false, true, false, true, true, false];
        using var runner = new OrtRunner(ModelZoo.Build(ModelZoo.NotBool));
        using var inputs = Inputs(("input", values));

        Assert.Equal(values.Select(v => !v), runner.Run(inputs)["output"].As<bool>());
    }

    [Fact]
    public void CastModel_Fp32Input_ReturnsEveryTargetTypeWithOnnxCastSemantics()
    {
        float[] values = [0f, 1.5f, 2.75f, 3f, 100.25f, 7.75f, 0.5f, 42f];
        using var runner = new OrtRunner(ModelZoo.Build(ModelZoo.CastFp32));
        using var inputs = Inputs(("input", values));

        var outputs = runner.Run(inputs);

        Assert.Equal(Halves(values), outputs["fp16"].As<Float16>());
        Assert.Equal(values.Select(v => (double)v), outputs["fp64"].As<double>());
        Assert.Equal([0L, 1, 2, 3, 100, 7, 0, 42], outputs["int64"].As<long>());
        Assert.Equal([0, 1, 2, 3, 100, 7, 0, 42], outputs["int32"].As<int>());
        Assert.Equal([0, 1, 2, 3, 100, 7, 0, 42], outputs["int8"].As<sbyte>());
        Assert.Equal([0, 1, 2, 3, 100, 7, 0, 42], outputs["uint8"].As<byte>());
        Assert.Equal([false, true, true, true, true, true, true, true], outputs["bool"].As<bool>());
    }

    [Fact]
    public void FixedShapeModel_IsNotBatchable_AndDoublesItsInput()
    {
        var model = ModelZoo.Build(ModelZoo.FixedShape);
        using var runner = new OrtRunner(model);
        using var inputs = Inputs(("input", new[] { 1f, -2f, 3.5f, 0f, 5f, 6f, 7f, -8.25f }));

        var output = runner.Run(inputs)["output"];

        Assert.False(model.Card.IsBatchable);
        Assert.Equal([2L, 4], runner.Session.InputMetadata["input"].Dimensions.Select(d => (long)d));
        Assert.Equal([2f, -4f, 7f, 0f, 10f, 12f, 14f, -16.5f], output.As<float>());
    }

    [Fact]
    public void EveryModelButFixedShape_IsBatchable()
    {
        var notBatchable = ModelZoo.Names.Where(n => !ModelZoo.Build(n, scale: ModelScale.Reduced).Card.IsBatchable);

        Assert.Equal([ModelZoo.FixedShape], notBatchable);
    }

    private static Float16[] Halves(params float[] values) =>
        [.. values.Select(v => new Float16(BitConverter.HalfToUInt16Bits((Half)v)))];

    /// <summary>The values as the CLR array type of <paramref name="type"/>.</summary>
    private static Array Typed(TensorElementType type, long[] values) => type switch
    {
        TensorElementType.Fp32 => values.Select(v => (float)v).ToArray(),
        TensorElementType.Fp16 => Halves([.. values.Select(v => (float)v)]),
        TensorElementType.Fp64 => values.Select(v => (double)v).ToArray(),
        TensorElementType.Int64 => values,
        TensorElementType.Int32 => values.Select(v => (int)v).ToArray(),
        TensorElementType.Int8 => values.Select(v => (sbyte)v).ToArray(),
        TensorElementType.UInt8 => values.Select(v => (byte)v).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not numeric."),
    };

    /// <summary>Inputs of shape [n / 4, 4] from typed arrays.</summary>
    private static OrtInputs Inputs(params (string Name, Array Values)[] tensors)
    {
        var inputs = new OrtInputs();
        foreach (var (name, values) in tensors)
        {
            long[] shape = [values.Length / 4, 4];
            // By exact type: the runtime lets a byte[] pass as an sbyte[] (array covariance).
            _ = values.GetType() switch
            {
                var t when t == typeof(float[]) => inputs.Add(name, (float[])values, shape),
                var t when t == typeof(Float16[]) => inputs.Add(name, (Float16[])values, shape),
                var t when t == typeof(double[]) => inputs.Add(name, (double[])values, shape),
                var t when t == typeof(long[]) => inputs.Add(name, (long[])values, shape),
                var t when t == typeof(int[]) => inputs.Add(name, (int[])values, shape),
                var t when t == typeof(sbyte[]) => inputs.Add(name, (sbyte[])values, shape),
                var t when t == typeof(byte[]) => inputs.Add(name, (byte[])values, shape),
                var t when t == typeof(bool[]) => inputs.Add(name, (bool[])values, shape),
                var t when t == typeof(string[]) => inputs.AddStrings(name, (string[])values, shape),
                var t => throw new ArgumentException($"Unsupported array {t}.", nameof(tensors)),
            };
        }

        return inputs;
    }
}
