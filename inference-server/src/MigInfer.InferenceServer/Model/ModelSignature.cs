using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Model;

/// <summary>
/// A model's inputs and outputs and its batching rule; the one place where a request is checked
/// against the model. A model is batched when every input and output has a variable first dimension.
/// </summary>
internal sealed class ModelSignature
{
    public ModelSignature(string modelName, IReadOnlyList<TensorSpec> inputs, IReadOnlyList<TensorSpec> outputs, int maxBatchSize, PaddingPlan? padding = null, DimensionLimits? limits = null)
    {
        ModelName = modelName;
        Inputs = inputs;
        Outputs = outputs;
        Batched = inputs.Concat(outputs).All(t => t.Shape.Length > 0 && t.Shape[0] == -1);
        MaxBatchSize = Batched ? maxBatchSize : 0;
        Padding = Batched ? padding ?? PaddingPlan.None : PaddingPlan.None;
        Limits = limits ?? DimensionLimits.None;
    }

    public string ModelName { get; }

    public IReadOnlyList<TensorSpec> Inputs { get; }

    public IReadOnlyList<TensorSpec> Outputs { get; }

    public bool Batched { get; }

    /// <summary>The largest first dimension a request or batch may have; 0 when served without batching.</summary>
    public int MaxBatchSize { get; }

    /// <summary>The axes along which requests of different lengths may be padded into one batch.</summary>
    public PaddingPlan Padding { get; }

    /// <summary>The longest each limited variable dimension may be.</summary>
    public DimensionLimits Limits { get; }

    public ValidatedInputs Validate(IReadOnlyList<TensorData> inputs)
    {
        var byName = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        foreach (var tensor in inputs)
        {
            if (!byName.TryAdd(tensor.Name, tensor))
            {
                throw InferenceException.Invalid($"input '{tensor.Name}' appears more than once");
            }

            if (!Inputs.Any(s => s.Name == tensor.Name))
            {
                throw InferenceException.Invalid($"input '{tensor.Name}' is not an input of model '{ModelName}' (inputs: {Names(Inputs)})");
            }
        }

        var ordered = new TensorData[Inputs.Count];
        var batch = 1;
        TensorData? first = null;
        for (var i = 0; i < Inputs.Count; i++)
        {
            var spec = Inputs[i];
            if (!byName.TryGetValue(spec.Name, out var tensor))
            {
                throw InferenceException.Invalid($"input '{spec.Name}' of model '{ModelName}' is missing (request has: {string.Join(", ", byName.Keys)})");
            }

            CheckAgainstSpec(tensor, spec);
            CheckLimits(tensor, i);
            if (Batched)
            {
                batch = CheckBatch(tensor, first);
                first ??= tensor;
            }

            ordered[i] = tensor;
        }

        CheckPaddedLengths(ordered);
        return new ValidatedInputs(ordered, batch);
    }

    /// <summary>The outputs to answer with: the requested names in request order, or every output.</summary>
    public IReadOnlyList<string> ResolveOutputs(IReadOnlyList<string> requested)
    {
        if (requested.Count == 0)
        {
            return [.. Outputs.Select(o => o.Name)];
        }

        for (var i = 0; i < requested.Count; i++)
        {
            if (!Outputs.Any(o => o.Name == requested[i]))
            {
                throw InferenceException.Invalid($"outputs[{i}].name '{requested[i]}' is not an output of model '{ModelName}' (outputs: {Names(Outputs)})");
            }
        }

        return requested.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static void CheckAgainstSpec(TensorData tensor, TensorSpec spec)
    {
        if (tensor.DataType != spec.DataType)
        {
            throw InferenceException.Invalid($"input '{tensor.Name}': datatype {tensor.DataType.WireName()} does not match the model's {spec.DataType.WireName()}");
        }

        if (tensor.Shape.Length != spec.Shape.Length)
        {
            throw InferenceException.Invalid($"input '{tensor.Name}': shape {Shapes.Format(tensor.Shape)} has rank {tensor.Shape.Length} but the model's shape {Shapes.Format(spec.Shape)} has rank {spec.Shape.Length}");
        }

        for (var d = 0; d < spec.Shape.Length; d++)
        {
            if (spec.Shape[d] != -1 && spec.Shape[d] != tensor.Shape[d])
            {
                throw InferenceException.Invalid($"input '{tensor.Name}': shape[{d}] is {tensor.Shape[d]} but the model's shape {Shapes.Format(spec.Shape)} needs {spec.Shape[d]}");
            }
        }
    }

    private void CheckLimits(TensorData tensor, int input)
    {
        if (Limits.IsEmpty)
        {
            return;
        }

        foreach (var axis in Limits.Inputs[input])
        {
            if (tensor.Shape[axis.Axis] > axis.Max)
            {
                throw InferenceException.Invalid($"input '{tensor.Name}': shape[{axis.Axis}] ({axis.Symbol}) is {tensor.Shape[axis.Axis]} but model '{ModelName}' takes at most {axis.Max}");
            }
        }
    }

    /// <summary>Inputs that share a paddable dimension must agree on its length, or cropping the outputs back would be ambiguous.</summary>
    private void CheckPaddedLengths(TensorData[] ordered)
    {
        if (Padding.IsEmpty)
        {
            return;
        }

        var seen = new Dictionary<string, (string Input, int Axis, long Length)>(StringComparer.Ordinal);
        for (var i = 0; i < ordered.Length; i++)
        {
            foreach (var axis in Padding.Inputs[i])
            {
                var length = ordered[i].Shape[axis.Axis];
                if (!seen.TryAdd(axis.Symbol, (ordered[i].Name, axis.Axis, length)) && seen[axis.Symbol] is var first && first.Length != length)
                {
                    throw InferenceException.Invalid(
                        $"input '{ordered[i].Name}': shape[{axis.Axis}] ({axis.Symbol}) is {length} but input '{first.Input}' has shape[{first.Axis}] = {first.Length}; both are the model's '{axis.Symbol}' dimension");
                }
            }
        }
    }

    private int CheckBatch(TensorData tensor, TensorData? first)
    {
        var batch = tensor.Shape[0];
        if (batch < 1 || batch > MaxBatchSize)
        {
            throw InferenceException.Invalid($"input '{tensor.Name}': shape[0] (batch) is {batch} but must be between 1 and the maximum batch size {MaxBatchSize}");
        }

        if (first is not null && first.Shape[0] != batch)
        {
            throw InferenceException.Invalid($"input '{tensor.Name}': shape[0] (batch) is {batch} but input '{first.Name}' has batch {first.Shape[0]}");
        }

        return (int)batch;
    }

    private static string Names(IEnumerable<TensorSpec> specs) => string.Join(", ", specs.Select(s => s.Name));
}
