using System.Text.Json.Nodes;

namespace MigInfer.Operator.Tests.FakeApi;

/// <summary>JSON merge patch (RFC 7386; strategic merge patch is treated the same) and JSON patch (RFC 6902, add/replace/remove/test).</summary>
internal static class JsonPatching
{
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                var merged = Merge(result[key]?.DeepClone(), value);
                result[key] = merged;
            }
        }

        return result;
    }

    public static JsonNode Apply(JsonNode target, JsonArray operations)
    {
        foreach (var op in operations.OfType<JsonObject>())
        {
            var path = ((string?)op["path"] ?? "").Split('/').Skip(1).Select(p => p.Replace("~1", "/").Replace("~0", "~")).ToArray();
            var parent = path[..^1].Aggregate(target, (node, key) => (node is JsonArray a ? a[int.Parse(key)] : node[key]) ?? throw new ApiError(422, "Invalid", $"path {op["path"]} does not exist"));
            var last = path[^1];
            switch ((string?)op["op"])
            {
                case "add" or "replace" when parent is JsonArray array:
                    var value = op["value"]?.DeepClone();
                    if (last == "-") { array.Add(value); } else if ((string?)op["op"] == "add") { array.Insert(int.Parse(last), value); } else { array[int.Parse(last)] = value; }
                    break;
                case "add" or "replace":
                    parent[last] = op["value"]?.DeepClone();
                    break;
                case "remove" when parent is JsonArray array:
                    array.RemoveAt(int.Parse(last));
                    break;
                case "remove":
                    ((JsonObject)parent).Remove(last);
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(parent[last], op["value"]))
                    {
                        throw new ApiError(422, "Invalid", $"test failed at {op["path"]}");
                    }

                    break;
                default:
                    throw new ApiError(422, "Invalid", $"unsupported JSON patch op {op["op"]}");
            }
        }

        return target;
    }
}
