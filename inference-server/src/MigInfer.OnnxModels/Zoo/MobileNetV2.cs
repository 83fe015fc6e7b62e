using MigInfer.OnnxModels.Graph;

namespace MigInfer.OnnxModels.Zoo;

/// <summary>
/// MobileNetV2 (Sandler et al. 2018, torchvision layout): inverted residual blocks whose middle
/// convolution is depthwise (group = channels), Relu6, BatchNorm folded into the convolutions,
/// a 1000-way Gemm. <see cref="ModelScale.Reduced"/> uses width multiplier 0.25.
/// </summary>
internal static class MobileNetV2
{
    // (expansion t, channels c, repeats n, first stride s) from the paper's Table 2.
    private static readonly (int T, int C, int N, int S)[] Settings =
        [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)];

    private const int Classes = 1000;

    public static ZooModel Build(int seed, ModelScale scale)
    {
        var width = scale == ModelScale.Full ? 1.0 : 0.25;
        var g = new GraphBuilder(ModelZoo.MobileNetV2, seed);
        var x = g.Input("input", TensorElementType.Fp32, Dimension.Batch, Dimension.Fixed(3), Dimension.Fixed(224), Dimension.Fixed(224));

        x = g.Relu6(g.Conv(x, MakeDivisible(32 * width), 3, "features.0", stride: 2));
        var index = 1;
        foreach (var (t, c, n, s) in Settings)
        {
            var outChannels = MakeDivisible(c * width);
            for (var i = 0; i < n; i++)
            {
                x = InvertedResidual(g, x, outChannels, i == 0 ? s : 1, t, $"features.{index++}");
            }
        }

        x = g.Relu6(g.Conv(x, MakeDivisible(1280 * Math.Max(1.0, width)), 1, $"features.{index}"));
        var logits = g.Gemm(g.GlobalAveragePoolFlat(x), Classes, "classifier");
        g.Output(logits, "logits");
        return g.Build($"MobileNetV2-shaped CNN (width {width:0.##}, BatchNorm folded), 224x224 RGB to 1000 logits");
    }

    private static Value InvertedResidual(GraphBuilder g, Value x, long outChannels, long stride, long expansion, string name)
    {
        var hidden = x.Size(1) * expansion;
        var y = expansion == 1 ? x : g.Relu6(g.Conv(x, hidden, 1, name + ".expand"));
        y = g.Relu6(g.Conv(y, hidden, 3, name + ".depthwise", stride, group: hidden));
        y = g.Conv(y, outChannels, 1, name + ".project");
        return stride == 1 && x.Size(1) == outChannels ? g.Add(x, y) : y;
    }

    /// <summary>torchvision's _make_divisible: round to a multiple of 8, never more than 10% down.</summary>
    private static long MakeDivisible(double value)
    {
        var rounded = Math.Max(8, (long)(value + 4) / 8 * 8);
        return rounded < 0.9 * value ? rounded + 8 : rounded;
    }
}
