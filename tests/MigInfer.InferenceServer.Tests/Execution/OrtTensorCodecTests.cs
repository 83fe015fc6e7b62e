using System.Runtime.InteropServices;
using MigInfer.InferenceServer.Execution;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Tests.Execution;

public sealed class OrtTensorCodecTests
{
    [Fact]
    public void NumericTensor_IsPassedOverTheRequestBytesWithoutACopy()
    {
        var tensor = TensorData.Numeric("x", DataType.Fp32, [2, 2], new byte[16]);
        var pins = new List<GCHandle>();
        try
        {
            using var value = OrtTensorCodec.ToOrtValue(tensor, pins);
            tensor.Raw[5] = 0x3f;

            Assert.Single(pins);
            Assert.Equal(tensor.Raw, value.GetTensorMutableRawData().ToArray());
            Assert.Equal(new long[] { 2, 2 }, value.GetTensorTypeAndShape().Shape);
        }
        finally
        {
            pins.ForEach(p => p.Free());
        }
    }

    [Fact]
    public void EmptyTensor_GetsItsOwnBufferAndNoPin()
    {
        var tensor = TensorData.Numeric("x", DataType.Int64, [0, 3], []);
        var pins = new List<GCHandle>();

        using var value = OrtTensorCodec.ToOrtValue(tensor, pins);

        Assert.Empty(pins);
        Assert.Equal(new long[] { 0, 3 }, value.GetTensorTypeAndShape().Shape);
    }
}
