using System.Runtime.InteropServices;
using Google.Protobuf;
using MigInfer.OnnxModels.Onnx;

namespace MigInfer.OnnxModels.Graph;

/// <summary>Builds initializer tensors; the data goes to raw_data in little-endian order.</summary>
internal static class TensorData
{
    public static TensorProto Create<T>(string name, TensorElementType type, IReadOnlyList<long> dims, ReadOnlySpan<T> data)
        where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian; this writer copies memory as is.");
        }

        CheckCount(name, dims, data.Length);
        var tensor = Header(name, type, dims);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data));
        return tensor;
    }

    public static long ElementCount(IReadOnlyList<long> dims)
    {
        long count = 1;
        foreach (var dim in dims)
        {
            count *= dim;
        }

        return count;
    }

    private static TensorProto Header(string name, TensorElementType type, IReadOnlyList<long> dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type.ToOnnx() };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private static void CheckCount(string name, IReadOnlyList<long> dims, int count)
    {
        if (ElementCount(dims) != count)
        {
            throw new ArgumentException(
                $"Tensor '{name}' has shape [{string.Join(",", dims)}] but {count} elements.", nameof(dims));
        }
    }
}
