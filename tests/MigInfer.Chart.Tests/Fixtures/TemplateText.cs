using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MigInfer.Chart.Tests.Fixtures;

/// <summary>What can be read from Helm templates without Helm: value references, and a static skeleton of the objects.</summary>
internal static partial class TemplateText
{
    public static IEnumerable<string> TemplateFiles() =>
        Directory.EnumerateFiles(RepoPaths.InChart("templates")).Order(StringComparer.Ordinal);

    /// <summary>Every <c>.Values.a.b</c> (or <c>$.Values.a.b</c>) path in a template, as dotted text.</summary>
    public static IEnumerable<string> ValueReferences(string template) =>
        ValuesReference().Matches(template).Select(m => m.Groups["path"].Value.TrimStart('.'));

    /// <summary>Whether a dotted path names a key of the values document.</summary>
    public static bool Exists(JsonNode? values, string dottedPath)
    {
        var node = values;
        foreach (var segment in dottedPath.Split('.'))
        {
            if (node is not JsonObject map || !map.TryGetPropertyValue(segment, out node))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The template's static YAML documents: comments and whole-line actions dropped, each inline action replaced by
    /// <c>TPL</c> and its text without quotes (<c>{{ .Values.a | quote }}</c> → <c>TPL .Values.a | quote</c>).
    /// Good for templates whose rules are static text (RBAC); not a renderer.
    /// </summary>
    public static IReadOnlyList<JsonObject> Skeleton(string template)
    {
        var lines = CommentAction().Replace(template, "")
            .Split('\n')
            .Where(line => !WholeLineAction().IsMatch(line))
            .Select(line => InlineAction().Replace(line, m => "TPL " + m.Groups["body"].Value.Replace("\"", "", StringComparison.Ordinal).Trim()));
        var text = string.Join('\n', lines);
        return DocumentSeparator().Split(text)
            .Where(doc => !string.IsNullOrWhiteSpace(doc))
            .Select(doc => YamlJson.Documents(doc).Single())
            .OfType<JsonObject>()
            .ToList();
    }

    [GeneratedRegex(@"(?<![\w])\$?\.Values(?<path>(\.[A-Za-z_][A-Za-z0-9_]*)+)")]
    private static partial Regex ValuesReference();

    [GeneratedRegex(@"\{\{-?\s*/\*.*?\*/\s*-?\}\}", RegexOptions.Singleline)]
    private static partial Regex CommentAction();

    [GeneratedRegex(@"^\s*\{\{.*\}\}\s*$")]
    private static partial Regex WholeLineAction();

    [GeneratedRegex(@"\{\{-?(?<body>.*?)-?\}\}")]
    private static partial Regex InlineAction();

    [GeneratedRegex(@"^---\s*$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();
}
