using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MigInfer.Chart.Tests.Fixtures;

/// <summary>
/// Reads YAML into JSON nodes with the YAML 1.2 core schema (what Helm's parser does for values.yaml):
/// plain <c>true</c>, <c>42</c>, <c>0.5</c> and <c>null</c> become typed values, quoted scalars stay strings.
/// </summary>
internal static partial class YamlJson
{
    public static JsonNode? ParseFile(string path) => Documents(File.ReadAllText(path)).Single();

    public static IReadOnlyList<JsonNode?> Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        // Round-trip through JSON text so numbers convert like parsed JSON ((int)node works for any integer).
        return stream.Documents.Select(d => Convert(d.RootNode) is { } node ? JsonNode.Parse(node.ToJsonString()) : null).ToList();
    }

    /// <summary>The objects of a multi-document YAML text, each with its own text (empty documents and scalars skipped).</summary>
    public static IReadOnlyList<YamlObject> Objects(string yaml) =>
    [
        .. DocumentSeparator().Split(yaml)
            .Select(text => (Text: text, Node: Documents(text).SingleOrDefault()))
            .Where(d => d.Node is JsonObject)
            .Select(d => new YamlObject(d.Text, (JsonObject)d.Node!)),
    ];

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", Convert(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"unsupported YAML node {node.NodeType} at {node.Start}"),
    };

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when IntegerPattern().IsMatch(text) => JsonValue.Create(long.Parse(text, CultureInfo.InvariantCulture)),
            _ when FloatPattern().IsMatch(text) => JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(text),
        };
    }

    [GeneratedRegex(@"^---\s*$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}

/// <summary>One object of a YAML stream: its text and the same as JSON.</summary>
internal sealed record YamlObject(string Yaml, JsonObject Object);
