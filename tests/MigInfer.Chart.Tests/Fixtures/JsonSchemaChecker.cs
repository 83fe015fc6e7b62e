using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MigInfer.Chart.Tests.Fixtures;

/// <summary>
/// Validates a document against the subset of JSON Schema (draft-07) that values.schema.json uses, or, with
/// <see cref="Validate(JsonNode, JsonNode?, bool)"/>'s <c>kubernetes</c>, against a CRD's structural OpenAPI schema as an
/// API server with strict field validation (kubectl's default) does: a field the schema does not declare is an error
/// unless <c>x-kubernetes-preserve-unknown-fields</c>. No JSON Schema package restores here, so this checker refuses any
/// keyword it does not implement rather than ignoring it: a schema that passes here is checked in full, and Helm (the
/// API server) validates the same schema on install. CEL rules (<c>x-kubernetes-validations</c>) are not run here; the
/// CRD rules tests run them.
/// </summary>
internal static class JsonSchemaChecker
{
    private static readonly HashSet<string> Annotations = ["$schema", "title", "description"];

    private static readonly HashSet<string> KubernetesAnnotations =
        ["format", "default", "x-kubernetes-validations", "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-int-or-string"];

    private static readonly HashSet<string> Supported =
        ["type", "properties", "additionalProperties", "required", "enum", "minimum", "maximum", "pattern", "minLength", "maxLength", "items"];

    private static readonly HashSet<string> KubernetesSupported =
        ["maxProperties", "minItems", "maxItems", "anyOf", "x-kubernetes-preserve-unknown-fields"];

    /// <summary>One message per violation, each starting with the JSON path of the offending value.</summary>
    public static IReadOnlyList<string> Validate(JsonNode schema, JsonNode? document) => Validate(schema, document, kubernetes: false);

    /// <summary>As <see cref="Validate(JsonNode, JsonNode?)"/>; with <paramref name="kubernetes"/>, by a CRD's rules (above).</summary>
    public static IReadOnlyList<string> Validate(JsonNode schema, JsonNode? document, bool kubernetes)
    {
        var errors = new List<string>();
        new Walker(kubernetes, errors).Check(Normalize(schema)!.AsObject(), Normalize(document), "$");
        return errors;
    }

    private static JsonNode? Normalize(JsonNode? node) => node is null ? null : JsonNode.Parse(node.ToJsonString());

    private sealed class Walker(bool kubernetes, List<string> errors)
    {
        public void Check(JsonObject schema, JsonNode? value, string path)
        {
            foreach (var keyword in schema.Select(kv => kv.Key).Where(k => !Known(k)))
            {
                throw new NotSupportedException($"schema keyword '{keyword}' at {path} is not implemented by this checker");
            }

            if (schema["anyOf"] is JsonArray branches && !branches.Any(b => Passes(b!.AsObject(), value, path)))
            {
                errors.Add($"{path}: {value?.ToJsonString() ?? "null"} matches none of {branches.ToJsonString()}");
                return;
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
                    CheckObject(schema, value!.AsObject(), path);
                    break;
                case "array":
                    CheckArray(schema, value!.AsArray(), path);
                    break;
                case "number":
                    CheckNumber(schema, value!.GetValue<JsonElement>().GetDouble(), path);
                    break;
                case "string":
                    CheckString(schema, value!.GetValue<string>(), path);
                    break;
            }
        }

        private bool Known(string keyword) =>
            Annotations.Contains(keyword) || Supported.Contains(keyword) || (kubernetes && (KubernetesAnnotations.Contains(keyword) || KubernetesSupported.Contains(keyword)));

        private bool Passes(JsonObject schema, JsonNode? value, string path)
        {
            var branch = new List<string>();
            new Walker(kubernetes, branch).Check(schema, value, path);
            return branch.Count == 0;
        }

        private void CheckObject(JsonObject schema, JsonObject value, string path)
        {
            var properties = schema["properties"]?.AsObject();
            foreach (var required in schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
            {
                if (!value.ContainsKey(required))
                {
                    errors.Add($"{path}: required property '{required}' is missing");
                }
            }

            if (schema["maxProperties"] is { } most && value.Count > most.GetValue<int>())
            {
                errors.Add($"{path}: has {value.Count} properties, more than {most}");
            }

            var keepsUnknown = schema["x-kubernetes-preserve-unknown-fields"] is JsonValue keep && keep.GetValue<bool>();
            foreach (var (name, child) in value)
            {
                var childPath = $"{path}.{name}";
                if (properties?[name] is JsonObject declared)
                {
                    Check(declared, child, childPath);
                }
                else if (schema["additionalProperties"] is JsonObject additional)
                {
                    Check(additional, child, childPath);
                }
                else if ((schema["additionalProperties"] is JsonValue allowed && !allowed.GetValue<bool>()) || (kubernetes && !keepsUnknown && schema["additionalProperties"] is null))
                {
                    errors.Add($"{childPath}: property is not allowed by the schema");
                }
            }
        }

        private void CheckArray(JsonObject schema, JsonArray array, string path)
        {
            if (schema["minItems"] is { } least && array.Count < least.GetValue<int>())
            {
                errors.Add($"{path}: has {array.Count} items, fewer than {least}");
            }

            if (schema["maxItems"] is { } most && array.Count > most.GetValue<int>())
            {
                errors.Add($"{path}: has {array.Count} items, more than {most}");
            }

            if (schema["items"] is JsonObject items)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    Check(items, array[i], $"{path}[{i}]");
                }
            }
        }

        private void CheckNumber(JsonObject schema, double number, string path)
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

        private void CheckString(JsonObject schema, string text, string path)
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
