using Microsoft.ML.OnnxRuntime;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Execution;

/// <summary>Copies <see cref="TensorData"/> into ONNX Runtime tensors and back.</summary>
internal static class OrtTensorCodec
{
    public static OrtValue ToOrtValue(TensorData tensor)
    {
        if (tensor.DataType == DataType.Bytes)
        {
            var strings = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, tensor.Shape);
            for (var i = 0; i < tensor.Strings.Length; i++)
            {
                strings.StringTensorSetElementAt(tensor.Strings[i].AsSpan(), i);
            }

            return strings;
        }

        var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, tensor.DataType.ToOnnx(), tensor.Shape);
        tensor.Raw.CopyTo(value.GetTensorMutableRawData());
        return value;
    }

    public static TensorData FromOrtValue(string name, OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var type = DataTypes.FromOnnx(info.ElementDataType)
            ?? throw new InvalidOperationException($"output '{name}' has element type {info.ElementDataType}, which the protocol cannot carry");
        var shape = info.Shape;
        if (type != DataType.Bytes)
        {
            return TensorData.Numeric(name, type, shape, value.GetTensorMutableRawData().ToArray());
        }

        var strings = new byte[info.ElementCount][];
        for (var i = 0; i < strings.Length; i++)
        {
            strings[i] = value.GetStringElementAsSpan(i).ToArray();
        }

        return TensorData.OfStrings(name, shape, strings);
    }
}
