namespace MigInfer.InferenceServer.Tensors;

/// <summary>
/// A tensor's declared name, datatype and shape, checked once for every wire form. <c>Where</c> is
/// the request field holding the tensor, e.g. <c>inputs[0]</c>, used in messages.
/// </summary>
internal readonly record struct TensorHeader(string Where, string Name, DataType DataType, long[] Shape, long ElementCount)
{
    public static TensorHeader Parse(string where, string name, string datatype, long[] shape)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw InferenceException.Invalid($"{where}.name is empty");
        }

        if (!DataTypes.TryParse(datatype, out var type))
        {
            throw InferenceException.Invalid($"tensor '{name}': {where}.datatype '{datatype}' is not one of {DataTypes.AllNames}");
        }

        var count = Shapes.Validate(name, $"{where}.shape", shape);
        return new TensorHeader(where, name, type, shape, count);
    }

    /// <summary>Fails with a message naming this tensor and one of its fields.</summary>
    public InferenceException Invalid(string field, string problem) =>
        InferenceException.Invalid($"tensor '{Name}': {Where}.{field} {problem}");

    public void ExpectCount(string field, long actual)
    {
        if (actual != ElementCount)
        {
            throw Invalid(field, $"has {actual} elements but shape {Shapes.Format(Shape)} needs {ElementCount}");
        }
    }
}
