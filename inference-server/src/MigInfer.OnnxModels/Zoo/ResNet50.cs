using MigInfer.OnnxModels.Graph;

namespace MigInfer.OnnxModels.Zoo;

/// <summary>
/// ResNet-50 v1.5 (torchvision layout: stride on the 3x3 convolution) for inference: BatchNorm
/// folded into each Conv's bias, bottleneck stages of 3-4-6-3 blocks, global average pool and a
/// 1000-way Gemm. <see cref="ModelScale.Reduced"/> divides every width by 8.
/// </summary>
internal static class ResNet50
{
    private static readonly int[] BlocksPerStage = [3, 4, 6, 3];
    private const int Expansion = 4;
    private const int Classes = 1000;

    public static ZooModel Build(int seed, ModelScale scale)
    {
        var divisor = scale == ModelScale.Full ? 1 : 8;
        var g = new GraphBuilder(ModelZoo.ResNet50, seed);
        var x = g.Input("input", TensorElementType.Fp32, Dimension.Batch, Dimension.Fixed(3), Dimension.Fixed(224), Dimension.Fixed(224));

        x = g.Relu(g.Conv(x, 64 / divisor, 7, "conv1", stride: 2));
        x = g.MaxPool(x, kernel: 3, stride: 2, pad: 1);
        for (var stage = 0; stage < BlocksPerStage.Length; stage++)
        {
            var width = (64 << stage) / divisor;
            for (var block = 0; block < BlocksPerStage[stage]; block++)
            {
                var stride = stage > 0 && block == 0 ? 2 : 1;
                x = Bottleneck(g, x, width, stride, $"layer{stage + 1}.{block}");
            }
        }

        var logits = g.Gemm(g.GlobalAveragePoolFlat(x), Classes, "fc");
        g.Output(logits, "logits");
        return g.Build(scale == ModelScale.Full
            ? "ResNet-50-shaped CNN (v1.5, BatchNorm folded), 224x224 RGB to 1000 logits"
            : "ResNet-50-shaped CNN (v1.5, BatchNorm folded, widths / 8), 224x224 RGB to 1000 logits");
    }

    private static Value Bottleneck(GraphBuilder g, Value x, long width, long stride, string name)
    {
        var outChannels = width * Expansion;
        var y = g.Relu(g.Conv(x, width, 1, name + ".conv1"));
        y = g.Relu(g.Conv(y, width, 3, name + ".conv2", stride));
        y = g.Conv(y, outChannels, 1, name + ".conv3");
        var shortcut = stride != 1 || x.Size(1) != outChannels
            ? g.Conv(x, outChannels, 1, name + ".downsample", stride)
            : x;
        return g.Relu(g.Add(y, shortcut));
    }
}
