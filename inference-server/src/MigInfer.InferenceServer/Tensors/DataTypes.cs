using System.Collections.Frozen;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MigInfer.InferenceServer.Tensors;

/// <summary>Names, element sizes and ONNX Runtime element types of <see cref="DataType"/>.</summary>
internal static class DataTypes
{
    private static readonly FrozenDictionary<string, DataType> ByName = Enum.GetValues<DataType>()
        .ToFrozenDictionary(WireName, t => t, StringComparer.Ordinal);

    /// <summary>The protocol name, e.g. <c>FP32</c>.</summary>
    public static string WireName(this DataType type) => type.ToString().ToUpperInvariant();

    public static bool TryParse(string name, out DataType type) => ByName.TryGetValue(name, out type);

    /// <summary>Every protocol name, for error messages.</summary>
    public static string AllNames { get; } = string.Join(", ", ByName.Keys.Order(StringComparer.Ordinal));

    /// <summary>Bytes per element in the raw little-endian form; 0 for BYTES (length-prefixed).</summary>
    public static int ElementSize(this DataType type) => type switch
    {
        DataType.Bool or DataType.Uint8 or DataType.Int8 => 1,
        DataType.Uint16 or DataType.Int16 or DataType.Fp16 or DataType.Bf16 => 2,
        DataType.Uint32 or DataType.Int32 or DataType.Fp32 => 4,
        DataType.Uint64 or DataType.Int64 or DataType.Fp64 => 8,
        DataType.Bytes => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static TensorElementType ToOnnx(this DataType type) => type switch
    {
        DataType.Bool => TensorElementType.Bool,
        DataType.Uint8 => TensorElementType.UInt8,
        DataType.Uint16 => TensorElementType.UInt16,
        DataType.Uint32 => TensorElementType.UInt32,
        DataType.Uint64 => TensorElementType.UInt64,
        DataType.Int8 => TensorElementType.Int8,
        DataType.Int16 => TensorElementType.Int16,
        DataType.Int32 => TensorElementType.Int32,
        DataType.Int64 => TensorElementType.Int64,
        DataType.Fp16 => TensorElementType.Float16,
        DataType.Bf16 => TensorElementType.BFloat16,
        DataType.Fp32 => TensorElementType.Float,
        DataType.Fp64 => TensorElementType.Double,
        DataType.Bytes => TensorElementType.String,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The protocol datatype of an ONNX element type, or null when the protocol has none.</summary>
    public static DataType? FromOnnx(TensorElementType type) => type switch
    {
        TensorElementType.Bool => DataType.Bool,
        TensorElementType.UInt8 => DataType.Uint8,
        TensorElementType.UInt16 => DataType.Uint16,
        TensorElementType.UInt32 => DataType.Uint32,
        TensorElementType.UInt64 => DataType.Uint64,
        TensorElementType.Int8 => DataType.Int8,
        TensorElementType.Int16 => DataType.Int16,
        TensorElementType.Int32 => DataType.Int32,
        TensorElementType.Int64 => DataType.Int64,
        TensorElementType.Float16 => DataType.Fp16,
        TensorElementType.BFloat16 => DataType.Bf16,
        TensorElementType.Float => DataType.Fp32,
        TensorElementType.Double => DataType.Fp64,
        TensorElementType.String => DataType.Bytes,
        _ => null,
    };
}
