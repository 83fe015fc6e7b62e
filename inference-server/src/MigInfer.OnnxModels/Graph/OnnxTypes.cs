using MigInfer.OnnxModels.Onnx;

namespace MigInfer.OnnxModels.Graph;

/// <summary>Maps the public element types onto the ONNX enum and their storage sizes.</summary>
internal static class OnnxTypes
{
    public static TensorProto.Types.DataType ToOnnx(this TensorElementType type) => type switch
    {
        TensorElementType.Fp32 => TensorProto.Types.DataType.Float,
        TensorElementType.Fp16 => TensorProto.Types.DataType.Float16,
        TensorElementType.Fp64 => TensorProto.Types.DataType.Double,
        TensorElementType.Int64 => TensorProto.Types.DataType.Int64,
        TensorElementType.Int32 => TensorProto.Types.DataType.Int32,
        TensorElementType.Int8 => TensorProto.Types.DataType.Int8,
        TensorElementType.UInt8 => TensorProto.Types.DataType.Uint8,
        TensorElementType.Bool => TensorProto.Types.DataType.Bool,
        TensorElementType.Bytes => TensorProto.Types.DataType.String,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown element type."),
    };

    public static TypeProto ToTypeProto(TensorElementType type, IEnumerable<Dimension> shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (var dim in shape)
        {
            tensorShape.Dim.Add(dim.Symbol is { } symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = dim.Size!.Value });
        }

        return new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor { ElemType = (int)type.ToOnnx(), Shape = tensorShape },
        };
    }
}
