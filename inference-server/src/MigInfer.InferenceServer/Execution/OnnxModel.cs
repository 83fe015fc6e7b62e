using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using MigInfer.InferenceServer.Configuration;
using MigInfer.InferenceServer.Hosting;
using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Tensors;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace MigInfer.InferenceServer.Execution;

/// <summary>The process's one ONNX Runtime session, its discovered signature and the execution provider in use.</summary>
internal sealed class OnnxModel : IModelRunner, IDisposable
{
    private const string CudaProviderName = "CUDAExecutionProvider";

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();

    private OnnxModel(InferenceSession session, ModelSignature signature, ExecutionProviderKind provider)
    {
        _session = session;
        Signature = signature;
        ExecutionProvider = provider;
    }

    public ModelSignature Signature { get; }

    /// <summary>The provider actually in use, after any fallback.</summary>
    public ExecutionProviderKind ExecutionProvider { get; }

    public static OnnxModel Load(string path, ServerOptions options, ILogger logger)
    {
        var (session, provider) = CreateSession(path, options, logger);
        try
        {
            var inputs = Symbols(session.InputNames, session.InputMetadata);
            var metadata = session.ModelMetadata.CustomMetadataMap;
            var signature = new ModelSignature(
                options.ModelName,
                Discover(session.InputNames, session.InputMetadata, "input"),
                Discover(session.OutputNames, session.OutputMetadata, "output"),
                options.MaxBatchSize,
                PaddingPlan.Create(metadata.GetValueOrDefault(PaddingPlan.MetadataKey), inputs, Symbols(session.OutputNames, session.OutputMetadata)),
                DimensionLimits.Create(metadata.GetValueOrDefault(DimensionLimits.MetadataKey), options.MaxDims, $"--max-dims ({ServerCommandLine.EnvironmentName("--max-dims")})", inputs));
            logger.ExecutionProviderChosen(provider.ToString().ToLowerInvariant(), options.ModelName);
            return new OnnxModel(session, signature, provider);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public IReadOnlyList<TensorData> Run(IReadOnlyList<TensorData> inputs)
    {
        var values = new List<OrtValue>(inputs.Count);
        var pins = new List<GCHandle>(inputs.Count);
        try
        {
            values.AddRange(inputs.Select(input => OrtTensorCodec.ToOrtValue(input, pins)));
            using var outputs = _session.Run(_runOptions, _session.InputNames, values, _session.OutputNames);
            return [.. outputs.Select((value, i) => OrtTensorCodec.FromOrtValue(_session.OutputNames[i], value))];
        }
        finally
        {
            values.ForEach(v => v.Dispose());
            pins.ForEach(p => p.Free());
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    private static (InferenceSession Session, ExecutionProviderKind Provider) CreateSession(string path, ServerOptions options, ILogger logger)
    {
        if (options.ExecutionProvider == ExecutionProviderKind.Cuda)
        {
            if (!OrtEnv.Instance().GetAvailableProviders().Contains(CudaProviderName))
            {
                logger.CudaFallback($"this ONNX Runtime build has no {CudaProviderName} (build with -p:OnnxRuntimeFlavor=Gpu)");
            }
            else
            {
                try
                {
                    using var cudaOptions = NewOptions(options);
                    cudaOptions.AppendExecutionProvider_CUDA(0);
                    return (new InferenceSession(path, cudaOptions), ExecutionProviderKind.Cuda);
                }
                catch (OnnxRuntimeException ex)
                {
                    logger.CudaFallback(ex.Message);
                }
            }
        }

        using var cpuOptions = NewOptions(options);
        try
        {
            return (new InferenceSession(path, cpuOptions), ExecutionProviderKind.Cpu);
        }
        catch (OnnxRuntimeException ex)
        {
            // Not an ONNX model, or one ONNX Runtime cannot build a session for: a problem of the model, not the server.
            throw new InvalidDataException($"ONNX Runtime cannot load the model: {ex.Message}", ex);
        }
    }

    private static SessionOptions NewOptions(ServerOptions options) => new()
    {
        IntraOpNumThreads = options.IntraOpThreads,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    /// <summary>Each tensor's symbolic dimension names, empty strings for fixed or unnamed ones.</summary>
    private static (string, IReadOnlyList<string>)[] Symbols(IReadOnlyList<string> names, IReadOnlyDictionary<string, NodeMetadata> metadata) =>
        [.. names.Select(n => (n, (IReadOnlyList<string>)[.. metadata[n].SymbolicDimensions.Select(s => s ?? string.Empty)]))];

    private static TensorSpec[] Discover(IReadOnlyList<string> names, IReadOnlyDictionary<string, NodeMetadata> metadata, string role) =>
    [
        .. names.Select(name =>
        {
            var node = metadata[name];
            if (!node.IsTensor)
            {
                throw new NotSupportedException($"model {role} '{name}' is a {node.OnnxValueType}; only tensors can be served");
            }

            var type = DataTypes.FromOnnx(node.ElementDataType)
                ?? throw new NotSupportedException($"model {role} '{name}' has element type {node.ElementDataType}, which the protocol cannot carry");
            return new TensorSpec(name, type, [.. node.Dimensions.Select(d => d < 0 ? -1L : d)]);
        }),
    ];
}
