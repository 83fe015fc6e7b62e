namespace MigInfer.OnnxModels.Graph;

/// <summary>Element-wise, shape and matrix operators with shape inference.</summary>
internal static class TensorOps
{
    public static Value Add(this GraphBuilder g, Value a, Value b) => g.Binary("Add", a, b);

    public static Value Sub(this GraphBuilder g, Value a, Value b) => g.Binary("Sub", a, b);

    public static Value Mul(this GraphBuilder g, Value a, Value b) => g.Binary("Mul", a, b);

    public static Value Div(this GraphBuilder g, Value a, Value b) => g.Binary("Div", a, b);

    public static Value Binary(this GraphBuilder g, string opType, Value a, Value b) =>
        g.Node(opType, [a, b], a.ElementType, Shapes.Broadcast(a.Shape, b.Shape));

    /// <summary>A one-input operator whose output has the input's type and shape (Relu, Erf, Tanh, Not, Identity).</summary>
    public static Value Unary(this GraphBuilder g, string opType, Value x) =>
        g.Node(opType, [x], x.ElementType, x.Shape);

    public static Value Cast(this GraphBuilder g, Value x, TensorElementType to) =>
        g.Node("Cast", [x], to, x.Shape, Attr.Int("to", (long)to.ToOnnx()));

    public static Value MatMul(this GraphBuilder g, Value a, Value b)
    {
        var shape = Shapes.MatMul(a.Shape, b.Shape);
        g.CountMultiplyAccumulates(shape, a[-1]);
        return g.Node("MatMul", [a, b], a.ElementType, shape);
    }

    /// <summary>x·W + b over the last axis, with W [in, out] drawn like PyTorch's nn.Linear default.</summary>
    public static Value Linear(this GraphBuilder g, Value x, long outFeatures, string name)
    {
        var inFeatures = x.Size(-1);
        var bound = 1.0 / Math.Sqrt(inFeatures);
        var weight = g.UniformParameter(name + ".weight", bound, inFeatures, outFeatures);
        var bias = g.UniformParameter(name + ".bias", bound, outFeatures);
        return g.Add(g.MatMul(x, weight), bias);
    }

    /// <summary>
    /// Reshape to <paramref name="shape"/>. A symbolic target dimension must sit where the input
    /// has the same symbol (written as 0, "copy") or be the single inferred one (written as -1).
    /// </summary>
    public static Value Reshape(this GraphBuilder g, Value x, params Dimension[] shape)
    {
        var target = new long[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            target[i] = shape[i] switch
            {
                { Size: { } size } => size,
                var symbolic when i < x.Rank && x[i] == symbolic => 0,
                _ => -1,
            };
        }

        if (target.Count(t => t == -1) > 1)
        {
            throw new ArgumentException($"Reshape of '{x.Name}' to [{string.Join(",", shape)}] is ambiguous.", nameof(shape));
        }

        return g.Node("Reshape", [x, g.Int64s("shape", target)], x.ElementType, shape);
    }

    public static Value Transpose(this GraphBuilder g, Value x, params long[] perm) =>
        g.Node("Transpose", [x], x.ElementType, Shapes.Permute(x.Shape, perm), Attr.Ints("perm", perm));

    public static Value Softmax(this GraphBuilder g, Value x) =>
        g.Node("Softmax", [x], x.ElementType, x.Shape, Attr.Int("axis", -1));

    /// <summary>LayerNormalization over the last axis with learned scale (ones) and shift (zeros).</summary>
    public static Value LayerNorm(this GraphBuilder g, Value x, string name)
    {
        var width = x.Size(-1);
        var scale = g.Parameter(name + ".weight", [.. Enumerable.Repeat(1f, (int)width)], width);
        var shift = g.Parameter(name + ".bias", new float[width], width);
        return g.Node("LayerNormalization", [x, scale, shift], x.ElementType, x.Shape,
            Attr.Int("axis", -1), Attr.Float("epsilon", 1e-12f));
    }

    /// <summary>Gelu written out as 0.5·x·(1 + erf(x/√2)); opset 17 has no Gelu operator.</summary>
    public static Value Gelu(this GraphBuilder g, Value x)
    {
        var half = g.Shared("gelu.half", () => g.ScalarFp32("gelu.half", 0.5f));
        var one = g.Shared("gelu.one", () => g.ScalarFp32("gelu.one", 1f));
        var invSqrt2 = g.Shared("gelu.inv_sqrt2", () => g.ScalarFp32("gelu.inv_sqrt2", (float)(1 / Math.Sqrt(2))));
        var erf = g.Unary("Erf", g.Mul(x, invSqrt2));
        return g.Mul(g.Mul(x, half), g.Add(erf, one));
    }

    /// <summary>Gather along <paramref name="axis"/>: data[:axis] + indices.shape + data[axis+1:].</summary>
    public static Value Gather(this GraphBuilder g, Value data, Value indices, int axis = 0)
    {
        Dimension[] shape = [.. data.Shape.Take(axis), .. indices.Shape, .. data.Shape.Skip(axis + 1)];
        return g.Node("Gather", [data, indices], data.ElementType, shape, Attr.Int("axis", axis));
    }

    /// <summary>Unsqueeze (opset 13: the axes are an input), axes in increasing order.</summary>
    public static Value Unsqueeze(this GraphBuilder g, Value x, params long[] axes)
    {
        var shape = x.Shape.ToList();
        foreach (var axis in axes)
        {
            shape.Insert((int)axis, Dimension.Fixed(1));
        }

        return g.Node("Unsqueeze", [x, g.Int64s("axes", axes)], x.ElementType, shape);
    }

    /// <summary>The first <paramref name="length"/> rows of <paramref name="table"/>, length being a 1-element INT64 tensor.</summary>
    public static Value SliceRows(this GraphBuilder g, Value table, Value length, Dimension rows)
    {
        var zero = g.Int64s("slice.starts", 0);
        var axes = g.Int64s("slice.axes", 0);
        return g.Node("Slice", [table, zero, length, axes], table.ElementType, [rows, .. table.Shape.Skip(1)]);
    }

    /// <summary>Dimension <paramref name="axis"/> of x as a 1-element INT64 tensor (Shape with start/end, opset 15).</summary>
    public static Value DimOf(this GraphBuilder g, Value x, int axis) =>
        g.Node("Shape", [x], TensorElementType.Int64, [Dimension.Fixed(1)], Attr.Int("start", axis), Attr.Int("end", axis + 1));
}
