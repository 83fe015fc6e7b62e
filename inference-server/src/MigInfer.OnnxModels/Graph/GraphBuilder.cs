using Google.Protobuf;
using MigInfer.OnnxModels.Onnx;

namespace MigInfer.OnnxModels.Graph;

/// <summary>
/// Builds one ONNX graph: inputs, seeded weights, nodes with inferred shapes, outputs. It keeps
/// the parameter, byte and FLOP counts that end up on the <see cref="ModelCard"/>, so the card
/// always describes the graph that was written.
/// </summary>
internal sealed class GraphBuilder
{
    public const int IrVersion = 8;
    public const int OpsetVersion = 17;

    private readonly string _name;
    private readonly GraphProto _graph;
    private readonly Dictionary<string, long> _flopBindings;
    private readonly Dictionary<string, int> _nameCounts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _graphInputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Value> _shared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _renamed = new(StringComparer.Ordinal);
    private readonly List<TensorSpec> _inputs = [];
    private readonly List<TensorSpec> _outputs = [];
    private readonly SortedDictionary<string, string> _metadata = new(StringComparer.Ordinal);
    private long _flops;
    private long _parameters;
    private long _weightBytes;

    public GraphBuilder(string name, int seed, IReadOnlyDictionary<string, long>? flopBindings = null)
    {
        _name = name;
        _graph = new GraphProto { Name = name };
        Random = new SeededRandom(seed);
        _flopBindings = new Dictionary<string, long>(flopBindings ?? new Dictionary<string, long>(), StringComparer.Ordinal)
        {
            [Dimension.BatchSymbol] = 1,
        };
    }

    /// <summary>The weight generator; every draw advances it, so build order defines the weights.</summary>
    public SeededRandom Random { get; }

    public Value Input(string name, TensorElementType type, params Dimension[] shape)
    {
        _graph.Input.Add(new ValueInfoProto { Name = name, Type = OnnxTypes.ToTypeProto(type, shape) });
        _graphInputs.Add(name);
        _inputs.Add(new TensorSpec(name, type, shape));
        return new Value(name, type, shape);
    }

    /// <summary>Declares <paramref name="value"/> as a graph output called <paramref name="name"/>.</summary>
    public void Output(Value value, string name)
    {
        value = value with { Name = Resolve(value.Name) };
        var producer = _graph.Node.LastOrDefault(n => n.Output.Contains(value.Name));
        if (producer is null || _graph.Output.Any(o => o.Name == value.Name))
        {
            // Graph inputs, initializers and values already exported need a node of their own.
            value = Node("Identity", [value], value.ElementType, value.Shape);
            producer = _graph.Node[^1];
        }

        Rename(producer, value.Name, name);
        _graph.Output.Add(new ValueInfoProto { Name = name, Type = OnnxTypes.ToTypeProto(value.ElementType, value.Shape) });
        _outputs.Add(new TensorSpec(name, value.ElementType, value.Shape));
    }

    /// <summary>A trainable FP32 weight with the given values.</summary>
    public Value Parameter(string name, float[] data, params long[] dims)
    {
        _parameters += data.Length;
        return Initializer(TensorData.Create(UniqueName(name), TensorElementType.Fp32, dims, data.AsSpan()), TensorElementType.Fp32, dims);
    }

    /// <summary>A trainable FP32 weight drawn from N(0, std²).</summary>
    public Value NormalParameter(string name, double std, params long[] dims)
    {
        var data = new float[TensorData.ElementCount(dims)];
        Random.FillNormal(data, std);
        return Parameter(name, data, dims);
    }

    /// <summary>A trainable FP32 weight drawn uniformly from [-bound, bound).</summary>
    public Value UniformParameter(string name, double bound, params long[] dims)
    {
        var data = new float[TensorData.ElementCount(dims)];
        Random.FillUniform(data, bound);
        return Parameter(name, data, dims);
    }

    /// <summary>A fixed tensor that is not a trainable weight (shapes, indices, scalars).</summary>
    public Value Constant<T>(string name, TensorElementType type, T[] data, params long[] dims)
        where T : unmanaged =>
        Initializer(TensorData.Create(UniqueName(name), type, dims, data.AsSpan()), type, dims);

    public Value ScalarFp32(string name, float value) => Constant(name, TensorElementType.Fp32, [value]);

    public Value Int64s(string name, params long[] values) =>
        Constant(name, TensorElementType.Int64, values, values.Length);

    /// <summary>Appends a node with one output whose type and shape the caller inferred.</summary>
    public Value Node(string opType, IReadOnlyList<Value> inputs, TensorElementType type, IReadOnlyList<Dimension> shape, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = UniqueName(opType) };
        node.Input.AddRange(inputs.Select(i => Resolve(i.Name)));
        node.Attribute.AddRange(attributes);
        var output = new Value(node.Name + "_out", type, shape);
        node.Output.Add(output.Name);
        _graph.Node.Add(node);
        return output;
    }

    /// <summary>
    /// Counts a Conv/Gemm/MatMul: one multiply-accumulate (2 FLOPs) per output element per
    /// <paramref name="reductionLength"/>, with symbolic dimensions bound as the card states.
    /// </summary>
    public void CountMultiplyAccumulates(IReadOnlyList<Dimension> outputShape, Dimension reductionLength)
    {
        var macs = Bind(reductionLength);
        foreach (var dim in outputShape)
        {
            macs *= Bind(dim);
        }

        _flops += 2 * macs;
    }

    /// <summary>Sets a <c>metadata_props</c> entry of the model (what ONNX Runtime shows as custom metadata).</summary>
    public void Metadata(string key, string value) => _metadata[key] = value;

    /// <summary>Returns the value cached under <paramref name="key"/>, creating it on first use.</summary>
    public Value Shared(string key, Func<Value> create)
    {
        if (!_shared.TryGetValue(key, out var value))
        {
            value = create();
            _shared.Add(key, value);
        }

        return value;
    }

    public ZooModel Build(string description)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "MigInfer.OnnxModels",
            ProducerVersion = "1",
            ModelVersion = 1,
            DocString = description,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        model.MetadataProps.AddRange(_metadata.Select(m => new StringStringEntryProto { Key = m.Key, Value = m.Value }));
        var card = new ModelCard(
            _name,
            description,
            [.. _inputs],
            [.. _outputs],
            _parameters,
            _weightBytes,
            _flops,
            new Dictionary<string, long>(_flopBindings, StringComparer.Ordinal));
        return new ZooModel(card, model.ToByteArray());
    }

    private Value Initializer(TensorProto tensor, TensorElementType type, long[] dims)
    {
        _graph.Initializer.Add(tensor);
        _weightBytes += tensor.RawData.Length;
        return new Value(tensor.Name, type, [.. dims.Select(Dimension.Fixed)]);
    }

    /// <summary>The current name of a value that <see cref="Output"/> may have renamed.</summary>
    private string Resolve(string name) => _renamed.GetValueOrDefault(name, name);

    private long Bind(Dimension dim) => dim.Size ?? _flopBindings.GetValueOrDefault(dim.Symbol!, 1);

    private void Rename(NodeProto producer, string from, string to)
    {
        if (_graphInputs.Contains(to) || _graph.Node.Any(n => n.Output.Contains(to)))
        {
            throw new InvalidOperationException($"Graph '{_name}' already has a value named '{to}'.");
        }

        producer.Output[producer.Output.IndexOf(from)] = to;
        _renamed[from] = to;
        foreach (var node in _graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == from)
                {
                    node.Input[i] = to;
                }
            }
        }
    }

    private string UniqueName(string prefix)
    {
        var count = _nameCounts.GetValueOrDefault(prefix);
        _nameCounts[prefix] = count + 1;
        return count == 0 ? prefix : $"{prefix}_{count}";
    }
}
