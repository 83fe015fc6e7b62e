using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using MigInfer.InferenceServer.Protocol;

namespace MigInfer.InferenceServer.Tests.Fixtures;

/// <summary>Builds protocol requests and reads answers for tests.</summary>
internal static class Requests
{
    public static ModelInferRequest Fp32(string model, string input, float[] values, long[] shape, bool raw)
    {
        var request = new ModelInferRequest { ModelName = model, Id = "req-1" };
        var tensor = new ModelInferRequest.Types.InferInputTensor { Name = input, Datatype = "FP32" };
        tensor.Shape.AddRange(shape);
        if (raw)
        {
            request.RawInputContents.Add(ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())));
        }
        else
        {
            tensor.Contents = new InferTensorContents();
            tensor.Contents.Fp32Contents.AddRange(values);
        }

        request.Inputs.Add(tensor);
        return request;
    }

    public static float[] Fp32Output(ModelInferResponse response, int index) =>
        response.RawOutputContents.Count > 0
            ? MemoryMarshal.Cast<byte, float>(response.RawOutputContents[index].Span).ToArray()
            : [.. response.Outputs[index].Contents.Fp32Contents];

    public static JsonObject Json(string input, string datatype, long[] shape, JsonArray data, params string[] outputs)
    {
        var body = new JsonObject
        {
            ["id"] = "req-1",
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = input,
                ["datatype"] = datatype,
                ["shape"] = new JsonArray([.. shape.Select(d => JsonValue.Create(d))]),
                ["data"] = data,
            }),
        };
        if (outputs.Length > 0)
        {
            body["outputs"] = new JsonArray([.. outputs.Select(o => new JsonObject { ["name"] = o })]);
        }

        return body;
    }

    public static async Task<(int Status, JsonElement Body)> PostAsync(HttpClient http, string path, JsonNode body)
    {
        using var response = await http.PostAsJsonAsync(path, body).WithTimeout();
        return ((int)response.StatusCode, await ReadAsync(response));
    }

    public static async Task<(int Status, JsonElement Body)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative)).WithTimeout();
        return ((int)response.StatusCode, await ReadAsync(response));
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync().WithTimeout();
        using var document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return document.RootElement.Clone();
    }
}
