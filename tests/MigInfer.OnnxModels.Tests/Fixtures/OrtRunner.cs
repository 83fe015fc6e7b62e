using Microsoft.ML.OnnxRuntime;
using OrtElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;

namespace MigInfer.OnnxModels.Tests.Fixtures;

/// <summary>An ONNX Runtime CPU session over a zoo model that returns outputs as managed arrays.</summary>
internal sealed class OrtRunner : IDisposable
{
    public OrtRunner(ZooModel model)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        Session = new InferenceSession(model.OnnxBytes.ToArray(), options);
    }

    public InferenceSession Session { get; }

    /// <summary>Runs the model; with no output names given, returns every output.</summary>
    public Dictionary<string, OrtTensor> Run(OrtInputs inputs, params string[] outputNames)
    {
        var names = outputNames.Length > 0 ? outputNames : [.. Session.OutputNames];
        using var runOptions = new RunOptions();
        using var results = Session.Run(runOptions, inputs.Values, names);
        return names.Zip(results).ToDictionary(pair => pair.First, pair => Copy(pair.Second), StringComparer.Ordinal);
    }

    public void Dispose() => Session.Dispose();

    public static TensorElementType ToZooType(OrtElementType type) => type switch
    {
        OrtElementType.Float => TensorElementType.Fp32,
        OrtElementType.Float16 => TensorElementType.Fp16,
        OrtElementType.Double => TensorElementType.Fp64,
        OrtElementType.Int64 => TensorElementType.Int64,
        OrtElementType.Int32 => TensorElementType.Int32,
        OrtElementType.Int8 => TensorElementType.Int8,
        OrtElementType.UInt8 => TensorElementType.UInt8,
        OrtElementType.Bool => TensorElementType.Bool,
        OrtElementType.String => TensorElementType.Bytes,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a zoo element type."),
    };

    private static OrtTensor Copy(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        Array data = ToZooType(info.ElementDataType) switch
        {
            TensorElementType.Fp32 => value.GetTensorDataAsSpan<float>().ToArray(),
            TensorElementType.Fp16 => value.GetTensorDataAsSpan<Float16>().ToArray(),
            TensorElementType.Fp64 => value.GetTensorDataAsSpan<double>().ToArray(),
            TensorElementType.Int64 => value.GetTensorDataAsSpan<long>().ToArray(),
            TensorElementType.Int32 => value.GetTensorDataAsSpan<int>().ToArray(),
            TensorElementType.Int8 => value.GetTensorDataAsSpan<sbyte>().ToArray(),
            TensorElementType.UInt8 => value.GetTensorDataAsSpan<byte>().ToArray(),
            TensorElementType.Bool => value.GetTensorDataAsSpan<bool>().ToArray(),
            _ => value.GetStringTensorAsArray(),
        };
        return new OrtTensor(info.Shape, data);
    }
}
