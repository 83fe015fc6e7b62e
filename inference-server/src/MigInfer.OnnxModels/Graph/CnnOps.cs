namespace MigInfer.OnnxModels.Graph;

/// <summary>Convolutional-network operators on NCHW tensors, with shape inference and FLOP counting.</summary>
internal static class CnnOps
{
    /// <summary>
    /// Conv with bias and "same" padding: the bias stands for a BatchNorm folded into the
    /// convolution, as inference exporters do. Weights are He-normal so activations stay finite.
    /// </summary>
    public static Value Conv(this GraphBuilder g, Value x, long outChannels, long kernel, string name, long stride = 1, long group = 1)
    {
        var inChannels = x.Size(1);
        var fanIn = inChannels / group * kernel * kernel;
        var weight = g.NormalParameter(name + ".weight", Math.Sqrt(2.0 / fanIn), outChannels, inChannels / group, kernel, kernel);
        var bias = g.NormalParameter(name + ".bias", 0.01, outChannels);
        var pad = kernel / 2;
        Dimension[] shape = [x[0], Dimension.Fixed(outChannels), Shapes.Window(x[2], kernel, stride, pad, pad), Shapes.Window(x[3], kernel, stride, pad, pad)];
        g.CountMultiplyAccumulates(shape, Dimension.Fixed(fanIn));
        return g.Node("Conv", [x, weight, bias], x.ElementType, shape,
            Attr.Ints("kernel_shape", kernel, kernel),
            Attr.Ints("strides", stride, stride),
            Attr.Ints("pads", pad, pad, pad, pad),
            Attr.Int("group", group));
    }

    public static Value Relu(this GraphBuilder g, Value x) => g.Unary("Relu", x);

    /// <summary>min(max(x, 0), 6) via Clip (opset 11+: bounds are inputs).</summary>
    public static Value Relu6(this GraphBuilder g, Value x)
    {
        var low = g.Shared("relu6.min", () => g.ScalarFp32("relu6.min", 0f));
        var high = g.Shared("relu6.max", () => g.ScalarFp32("relu6.max", 6f));
        return g.Node("Clip", [x, low, high], x.ElementType, x.Shape);
    }

    public static Value MaxPool(this GraphBuilder g, Value x, long kernel, long stride, long pad)
    {
        Dimension[] shape = [x[0], x[1], Shapes.Window(x[2], kernel, stride, pad, pad), Shapes.Window(x[3], kernel, stride, pad, pad)];
        return g.Node("MaxPool", [x], x.ElementType, shape,
            Attr.Ints("kernel_shape", kernel, kernel),
            Attr.Ints("strides", stride, stride),
            Attr.Ints("pads", pad, pad, pad, pad));
    }

    /// <summary>Global average pool followed by Flatten: [N, C, H, W] to [N, C].</summary>
    public static Value GlobalAveragePoolFlat(this GraphBuilder g, Value x)
    {
        var pooled = g.Node("GlobalAveragePool", [x], x.ElementType, [x[0], x[1], Dimension.Fixed(1), Dimension.Fixed(1)]);
        return g.Node("Flatten", [pooled], x.ElementType, [x[0], x[1]], Attr.Int("axis", 1));
    }

    /// <summary>Fully connected classifier head: Gemm with W [out, in] (transB = 1) and bias.</summary>
    public static Value Gemm(this GraphBuilder g, Value x, long outFeatures, string name)
    {
        var inFeatures = x.Size(1);
        var bound = 1.0 / Math.Sqrt(inFeatures);
        var weight = g.UniformParameter(name + ".weight", bound, outFeatures, inFeatures);
        var bias = g.UniformParameter(name + ".bias", bound, outFeatures);
        Dimension[] shape = [x[0], Dimension.Fixed(outFeatures)];
        g.CountMultiplyAccumulates(shape, Dimension.Fixed(inFeatures));
        return g.Node("Gemm", [x, weight, bias], x.ElementType, shape, Attr.Int("transB", 1));
    }
}
