using System.Text.Json;
using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Http;

/// <summary>Reads the HTTP/JSON v2 inference request body into an <see cref="InferRequest"/>.</summary>
internal static class HttpJsonRequestReader
{
    public static InferRequest Read(JsonElement root, string model, string version)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw InferenceException.Invalid($"the request body is a JSON {root.ValueKind} but must be an object");
        }

        var id = root.TryGetProperty("id", out var idElement) ? String(idElement, "id") : "";
        if (!root.TryGetProperty("inputs", out var inputsElement) || inputsElement.ValueKind != JsonValueKind.Array)
        {
            throw InferenceException.Invalid("inputs must be an array of tensors");
        }

        var inputs = new List<TensorData>();
        foreach (var input in inputsElement.EnumerateArray())
        {
            var where = $"inputs[{inputs.Count}]";
            if (input.ValueKind != JsonValueKind.Object)
            {
                throw InferenceException.Invalid($"{where} is a JSON {input.ValueKind} but must be an object");
            }

            var header = TensorHeader.Parse(
                where,
                String(Property(input, where, "name"), $"{where}.name"),
                String(Property(input, where, "datatype"), $"{where}.datatype"),
                Shape(Property(input, where, "shape"), $"{where}.shape"));
            inputs.Add(JsonTensorCodec.Decode(header, Property(input, where, "data")));
        }

        var outputs = new List<string>();
        if (root.TryGetProperty("outputs", out var outputsElement))
        {
            if (outputsElement.ValueKind != JsonValueKind.Array)
            {
                throw InferenceException.Invalid("outputs must be an array");
            }

            foreach (var output in outputsElement.EnumerateArray())
            {
                var where = $"outputs[{outputs.Count}]";
                var name = output.ValueKind == JsonValueKind.Object ? String(Property(output, where, "name"), $"{where}.name") : "";
                outputs.Add(name.Length > 0 ? name : throw InferenceException.Invalid($"{where}.name must be a non-empty string"));
            }
        }

        JsonElement? parameters = root.TryGetProperty("parameters", out var given) && given.ValueKind == JsonValueKind.Object ? given : null;
        var warmUp = parameters?.TryGetProperty(InferRequest.WarmUpParameter, out var flag) == true && flag.ValueKind == JsonValueKind.True;
        return new InferRequest(model, version, id, inputs, outputs, Timeout(parameters), warmUp);
    }

    private static TimeSpan? Timeout(JsonElement? parameters)
    {
        if (parameters?.TryGetProperty("timeout", out var timeout) != true)
        {
            return null;
        }

        return timeout.ValueKind == JsonValueKind.Number && timeout.TryGetInt64(out var micros) && micros >= 0
            ? TimeSpan.FromMicroseconds(Math.Min(micros, (long)TimeSpan.MaxValue.TotalMicroseconds / 2))
            : throw InferenceException.Invalid($"parameters.timeout is {timeout} but must be a non-negative integer of microseconds");
    }

    private static JsonElement Property(JsonElement element, string where, string name) =>
        element.TryGetProperty(name, out var value) ? value : throw InferenceException.Invalid($"{where}.{name} is missing");

    private static string String(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw InferenceException.Invalid($"{field} is {element} but must be a string");

    private static long[] Shape(JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw InferenceException.Invalid($"{field} is {element} but must be an array of integers");
        }

        return
        [
            .. element.EnumerateArray().Select((d, i) => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out var v)
                ? v
                : throw InferenceException.Invalid($"{field}[{i}] is {d} but must be an integer")),
        ];
    }
}
