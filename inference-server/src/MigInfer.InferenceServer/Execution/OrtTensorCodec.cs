using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Execution;

/// <summary>Passes <see cref="TensorData"/> to ONNX Runtime tensors and copies outputs back.</summary>
internal static class OrtTensorCodec
{
    /// <summary>
    /// A numeric tensor becomes an ONNX Runtime tensor over its own bytes, pinned into
    /// <paramref name="pins"/> (the caller frees them after the run): a batch of images is megabytes,
    /// and copying it into a fresh native buffer cost time and cache right before execution.
    /// </summary>
    public static OrtValue ToOrtValue(TensorData tensor, List<GCHandle> pins)
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

        if (tensor.Raw.Length == 0)
        {
            return OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, tensor.DataType.ToOnnx(), tensor.Shape);
        }

        var pin = GCHandle.Alloc(tensor.Raw, GCHandleType.Pinned);
        pins.Add(pin);
        return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, tensor.DataType.ToOnnx(), tensor.Shape, pin.AddrOfPinnedObject(), tensor.Raw.LongLength);
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
