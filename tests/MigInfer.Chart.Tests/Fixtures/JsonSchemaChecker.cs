using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MigInfer.Chart.Tests.Fixtures;

/// <summary>
/// Validates a document against the subset of JSON Schema (draft-07) that values.schema.json uses. No JSON Schema
/// package restores here, so this checker refuses any keyword it does not implement rather than ignoring it: a
/// schema that passes here is checked in full, and Helm validates the same schema on install.
/// </summary>
internal static class JsonSchemaChecker
{
    private static readonly HashSet<string> Annotations = ["$schema", "title", "description"];

    private static readonly HashSet<string> Supported =
        ["type", "properties", "additionalProperties", "required", "enum", "minimum", "maximum", "pattern", "minLength", "maxLength", "items"];

    /// <summary>One message per violation, each starting with the JSON path of the offending value.</summary>
    public static IReadOnlyList<string> Validate(JsonNode schema, JsonNode? document)
    {
        var errors = new List<string>();
        Check(Normalize(schema)!.AsObject(), Normalize(document), "$", errors);
        return errors;
    }

    private static JsonNode? Normalize(JsonNode? node) => node is null ? null : JsonNode.Parse(node.ToJsonString());

    private static void Check(JsonObject schema, JsonNode? value, string path, List<string> errors)
    {
        foreach (var keyword in schema.Select(kv => kv.Key).Where(k => !Annotations.Contains(k) && !Supported.Contains(k)))
        {
            throw new NotSupportedException($"schema keyword '{keyword}' at {path} is not implemented by this checker");
        }

        var kind = Kind(value);
        if (schema["type"] is { } type)
        {
            var allowed = type is JsonArray many ? many.Select(t => t!.GetValue<string>()).ToList() : [type.GetValue<string>()];
            if (!allowed.Any(t => Matches(t, kind, value)))
            {
                errors.Add($"{path}: is {kind} but must be {string.Join(" or ", allowed)}");
                return;
            }
        }

        if (schema["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, value)))
        {
            errors.Add($"{path}: {value?.ToJsonString() ?? "null"} is not one of {options.ToJsonString()}");
        }

        switch (kind)
        {
            case "object":
                CheckObject(schema, value!.AsObject(), path, errors);
                break;
            case "array" when schema["items"] is JsonObject items:
                var array = value!.AsArray();
                for (var i = 0; i < array.Count; i++)
                {
                    Check(items, array[i], $"{path}[{i}]", errors);
                }

                break;
            case "number":
                CheckNumber(schema, value!.GetValue<JsonElement>().GetDouble(), path, errors);
                break;
            case "string":
                CheckString(schema, value!.GetValue<string>(), path, errors);
                break;
        }
    }

    private static void CheckObject(JsonObject schema, JsonObject value, string path, List<string> errors)
    {
        var properties = schema["properties"]?.AsObject();
        foreach (var required in schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
        {
            if (!value.ContainsKey(required))
            {
                errors.Add($"{path}: required property '{required}' is missing");
            }
        }

        foreach (var (name, child) in value)
        {
            var childPath = $"{path}.{name}";
            if (properties?[name] is JsonObject declared)
            {
                Check(declared, child, childPath, errors);
            }
            else if (schema["additionalProperties"] is JsonObject additional)
            {
                Check(additional, child, childPath, errors);
            }
            else if (schema["additionalProperties"] is JsonValue allowed && !allowed.GetValue<bool>())
            {
                errors.Add($"{childPath}: property is not allowed by the schema");
            }
        }
    }

    private static void CheckNumber(JsonObject schema, double number, string path, List<string> errors)
    {
        if (schema["minimum"] is { } min && number < min.GetValue<double>())
        {
            errors.Add($"{path}: {number} is below the minimum {min}");
        }

        if (schema["maximum"] is { } max && number > max.GetValue<double>())
        {
            errors.Add($"{path}: {number} is above the maximum {max}");
        }
    }

    private static void CheckString(JsonObject schema, string text, string path, List<string> errors)
    {
        if (schema["minLength"] is { } min && text.Length < min.GetValue<int>())
        {
            errors.Add($"{path}: '{text}' is shorter than {min}");
        }

        if (schema["maxLength"] is { } max && text.Length > max.GetValue<int>())
        {
            errors.Add($"{path}: '{text}' is longer than {max}");
        }

        if (schema["pattern"] is { } pattern && !Regex.IsMatch(text, pattern.GetValue<string>(), RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            errors.Add($"{path}: '{text}' does not match {pattern}");
        }
    }

    private static string Kind(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        var other => throw new InvalidOperationException($"unexpected JSON kind {other}"),
    };

    private static bool Matches(string type, string kind, JsonNode? value) => type switch
    {
        "integer" => kind == "number" && value!.GetValue<JsonElement>().TryGetInt64(out _),
        _ => type == kind,
    };
}
