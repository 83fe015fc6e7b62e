using System.Text.Json;
using Google.Protobuf;
using MigInfer.InferenceServer.Protocol;

namespace MigInfer.Cli.Client;

/// <summary>
/// Reads a request in the v2 HTTP/JSON form (<c>{"inputs":[{"name","shape","datatype","data"}]}</c>)
/// into a gRPC request with typed contents.
/// </summary>
internal static class JsonInput
{
    public static ModelInferRequest Read(string path, string model)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (!document.RootElement.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{path}: expected {{\"inputs\": [...]}}");
        }

        var request = new ModelInferRequest { ModelName = model };
        var index = 0;
        foreach (var input in inputs.EnumerateArray())
        {
            var where = $"{path}: inputs[{index++}]";
            var tensor = new ModelInferRequest.Types.InferInputTensor
            {
                Name = Field(input, "name", where).GetString()!,
                Datatype = Field(input, "datatype", where).GetString()!,
            };
            tensor.Shape.Add(Field(input, "shape", where).EnumerateArray().Select(d => d.GetInt64()));
            var data = Flatten(Field(input, "data", where)).ToList();
            if (tensor.Datatype is "FP16" or "BF16")
            {
                throw new FormatException($"{where}: {tensor.Datatype} tensors travel raw in the v2 protocol; send FP32 in JSON files, or let miginfer infer generate the input");
            }

            tensor.Contents = Typed(tensor.Datatype, data, where);
            request.Inputs.Add(tensor);
        }

        if (document.RootElement.TryGetProperty("outputs", out var outputs))
        {
            foreach (var output in outputs.EnumerateArray())
            {
                request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = Field(output, "name", $"{path}: outputs[]").GetString()! });
            }
        }

        return request;
    }

    private static JsonElement Field(JsonElement element, string name, string where) =>
        element.TryGetProperty(name, out var value) ? value : throw new FormatException($"{where}: {name} is missing");

    private static IEnumerable<JsonElement> Flatten(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().SelectMany(Flatten) : [element];

    private static InferTensorContents Typed(string datatype, List<JsonElement> data, string where)
    {
        var contents = new InferTensorContents();
        switch (datatype)
        {
            case "FP32": contents.Fp32Contents.Add(data.Select(d => d.GetSingle())); break;
            case "FP64": contents.Fp64Contents.Add(data.Select(d => d.GetDouble())); break;
            case "INT64": contents.Int64Contents.Add(data.Select(d => d.GetInt64())); break;
            case "INT32" or "INT16" or "INT8": contents.IntContents.Add(data.Select(d => d.GetInt32())); break;
            case "UINT64": contents.Uint64Contents.Add(data.Select(d => d.GetUInt64())); break;
            case "UINT32" or "UINT16" or "UINT8": contents.UintContents.Add(data.Select(d => d.GetUInt32())); break;
            case "BOOL": contents.BoolContents.Add(data.Select(d => d.GetBoolean())); break;
            case "BYTES": contents.BytesContents.Add(data.Select(d => ByteString.CopyFromUtf8(d.GetString() ?? ""))); break;
            default: throw new FormatException($"{where}: datatype {datatype} is not a v2 datatype");
        }

        return contents;
    }
}
