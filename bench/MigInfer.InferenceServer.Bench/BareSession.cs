using Microsoft.ML.OnnxRuntime;

namespace MigInfer.InferenceServer.Bench;

/// <summary>
/// The baseline: the same model in an ONNX Runtime session with the server's session options, one
/// execution at a time (a slice runs one batch at a time), inputs copied in as the server does.
/// </summary>
internal sealed class BareSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly SemaphoreSlim _slice = new(1, 1);
    private readonly string _input;
    private readonly long[] _shape;
    private readonly float[] _data;

    public BareSession(string modelPath, int intraOpThreads, string input, long[] shape, float[] data)
    {
        using var options = new SessionOptions { IntraOpNumThreads = intraOpThreads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _session = new InferenceSession(modelPath, options);
        _input = input;
        _shape = shape;
        _data = data;
    }

    public async Task RunAsync()
    {
        await _slice.WaitAsync().ConfigureAwait(false);
        try
        {
            await Task.Run(RunOnce).ConfigureAwait(false);
        }
        finally
        {
            _slice.Release();
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
        _slice.Dispose();
    }

    private void RunOnce()
    {
        using var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, _shape);
        _data.AsSpan().CopyTo(value.GetTensorMutableDataAsSpan<float>());
        using var outputs = _session.Run(_runOptions, [_input], [value], _session.OutputNames);
        foreach (var output in outputs)
        {
            _ = output.GetTensorMutableRawData().ToArray();
        }
    }
}
