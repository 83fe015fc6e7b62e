using CsCheck;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Tests.Tensors;

public sealed class TensorRegionTests
{
    [Fact]
    public void Pad_KeepsEveryElementAtItsIndexAndZeroesTheRest()
    {
        int[] source = [1, 2, 3, 4, 5, 6];
        var target = new int[2 * 4];

        TensorRegion.Copy<int>(source, [2, 3], target, [2, 4], 1);

        Assert.Equal([1, 2, 3, 0, 4, 5, 6, 0], target);
    }

    [Fact]
    public void Crop_TakesTheLeadingRegionOfEveryAxis()
    {
        var source = Enumerable.Range(0, 2 * 3 * 4).ToArray();
        var target = new int[2 * 2 * 3];

        TensorRegion.Copy<int>(source, [2, 3, 4], target, [2, 2, 3], 1);

        Assert.Equal([0, 1, 2, 4, 5, 6, 12, 13, 14, 16, 17, 18], target);
    }

    [Fact]
    public void RawBytes_MoveWholeElements()
    {
        byte[] source = [1, 1, 2, 2, 3, 3];
        var target = new byte[8];

        TensorRegion.Copy<byte>(source, [1, 3], target, [1, 4], unit: 2);

        Assert.Equal([1, 1, 2, 2, 3, 3, 0, 0], target);
    }

    [Fact]
    public void PadThenCrop_GivesBackTheOriginal()
    {
        Gen.Int[1, 4].Array[1, 4].SelectMany(shape => Gen.Int[0, 3].Array[shape.Length].Select(extra => (shape, extra))).Sample(t =>
        {
            long[] shape = [.. t.shape.Select(d => (long)d)];
            long[] padded = [.. shape.Select((d, i) => d + t.extra[i])];
            var original = Enumerable.Range(1, (int)shape.Aggregate(1L, (a, d) => a * d)).ToArray();
            var big = new int[padded.Aggregate(1L, (a, d) => a * d)];
            var back = new int[original.Length];

            TensorRegion.Copy<int>(original, shape, big, padded, 1);
            TensorRegion.Copy<int>(big, padded, back, shape, 1);

            Assert.Equal(original, back);
            Assert.Equal(original.Sum(), big.Sum());
        });
    }
}
