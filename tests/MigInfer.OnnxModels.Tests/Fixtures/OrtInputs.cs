using Microsoft.ML.OnnxRuntime;

namespace MigInfer.OnnxModels.Tests.Fixtures;

/// <summary>Named input tensors for one run; disposes the native values it owns.</summary>
internal sealed class OrtInputs : IDisposable
{
    private readonly Dictionary<string, OrtValue> _values = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, OrtValue> Values => _values;

    public OrtInputs Add<T>(string name, T[] data, params long[] shape)
        where T : unmanaged
    {
        _values.Add(name, OrtValue.CreateTensorValueFromMemory(data, shape));
        return this;
    }

    public OrtInputs AddStrings(string name, string[] data, params long[] shape)
    {
        var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
        for (var i = 0; i < data.Length; i++)
        {
            value.StringTensorSetElementAt(data[i].AsSpan(), i);
        }

        _values.Add(name, value);
        return this;
    }

    public void Dispose()
    {
        foreach (var value in _values.Values)
        {
            value.Dispose();
        }
    }
}
