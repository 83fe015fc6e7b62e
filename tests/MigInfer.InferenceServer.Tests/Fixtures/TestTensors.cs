using System.Runtime.InteropServices;
using System.Text;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Tests.Fixtures;

/// <summary>Builds <see cref="TensorData"/> from typed values for tests.</summary>
internal static class TestTensors
{
    public static TensorData Of<T>(string name, DataType type, long[] shape, params T[] values)
        where T : unmanaged =>
        TensorData.Numeric(name, type, shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static TensorData Strings(string name, long[] shape, params string[] values) =>
        TensorData.OfStrings(name, shape, [.. values.Select(Encoding.UTF8.GetBytes)]);

    /// <summary>Two elements per datatype, including each type's extremes, shaped [1,2].</summary>
    public static TensorData Sample(DataType type, string name = "t") => type switch
    {
        DataType.Bool => Of(name, type, [1, 2], true, false),
        DataType.Uint8 => Of(name, type, [1, 2], byte.MinValue, byte.MaxValue),
        DataType.Uint16 => Of(name, type, [1, 2], ushort.MinValue, ushort.MaxValue),
        DataType.Uint32 => Of(name, type, [1, 2], uint.MinValue, uint.MaxValue),
        DataType.Uint64 => Of(name, type, [1, 2], ulong.MinValue, ulong.MaxValue),
        DataType.Int8 => Of(name, type, [1, 2], sbyte.MinValue, sbyte.MaxValue),
        DataType.Int16 => Of(name, type, [1, 2], short.MinValue, short.MaxValue),
        DataType.Int32 => Of(name, type, [1, 2], int.MinValue, int.MaxValue),
        DataType.Int64 => Of(name, type, [1, 2], long.MinValue, long.MaxValue),
        DataType.Fp16 => Of(name, type, [1, 2], (Half)(-1.5), (Half)65504),
        DataType.Bf16 => Of(name, type, [1, 2], BFloat16.FromSingle(-2.5f), BFloat16.FromSingle(1024f)),
        DataType.Fp32 => Of(name, type, [1, 2], -1.25f, float.MaxValue),
        DataType.Fp64 => Of(name, type, [1, 2], -1.25, double.MaxValue),
        DataType.Bytes => Strings(name, [1, 2], "", "héllo"),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static void AssertEqual(TensorData expected, TensorData actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.DataType, actual.DataType);
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.Raw, actual.Raw);
        Assert.Equal(expected.Strings.Select(Convert.ToHexString), actual.Strings.Select(Convert.ToHexString));
    }
}
