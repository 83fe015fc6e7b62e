using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace MigInfer.Planning.Documents;

/// <summary>
/// Splits a multi-document YAML file and reads each document strictly (unknown fields are errors),
/// reporting problems as <c>file:line:column: message</c>.
/// </summary>
internal static partial class YamlDocuments
{
    private static readonly IDeserializer Strict = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    private static readonly IDeserializer Probe = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    /// <summary>Each non-empty document of the file with its first line and its kind.</summary>
    public static IEnumerable<(string Text, int FirstLine, string? Kind)> Split(string text, string source)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var start = 0;
        for (var i = 0; i <= lines.Length; i++)
        {
            if (i == lines.Length || Separator().IsMatch(lines[i]))
            {
                var chunk = string.Join('\n', lines[start..i]);
                if (chunk.Split('\n').Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')))
                {
                    var kind = Read<KindProbe>(chunk, source, start, Probe)?.Kind;
                    yield return (chunk, start, kind);
                }

                start = i + 1;
            }
        }
    }

    public static T Read<T>(string text, string source, int firstLine) where T : class =>
        Read<T>(text, source, firstLine, Strict) ?? throw new DocumentException($"{source}:{firstLine + 1}: the document is empty");

    private static T? Read<T>(string text, string source, int firstLine, IDeserializer deserializer) where T : class
    {
        try
        {
            return deserializer.Deserialize<T?>(text);
        }
        catch (YamlException e) when (e.InnerException is InvalidOperationException && LastGoodEvent(text) is { } last)
        {
            // YamlDotNet's scanner fails some malformed flow collections with an internal error and no position; the
            // end of the last event it could parse is where the text stops making sense.
            throw new DocumentException($"{source}:{last.Line + firstLine}:{last.Column}: the YAML cannot be parsed after this point (an unclosed '{{' or '[', or broken indentation)", e);
        }
        catch (YamlException e)
        {
            var message = (e.InnerException?.Message ?? e.Message).Replace("on type '", "on '");
            throw new DocumentException($"{source}:{e.Start.Line + firstLine}:{e.Start.Column}: {Clean(message)}", e);
        }
    }

    /// <summary>The end of the last event the parser reads before it fails; null when the whole text parses.</summary>
    private static Mark? LastGoodEvent(string text)
    {
        var parser = new Parser(new StringReader(text));
        Mark? last = null;
        try
        {
            while (parser.MoveNext())
            {
                last = parser.Current!.End;
            }

            return null;
        }
        catch (InvalidOperationException)
        {
            return last;
        }
        catch (YamlException)
        {
            return last;
        }
    }

    private static string Clean(string message) => TypeName().Replace(message, m => m.Groups[1].Value.Replace("Document", ""));

    [GeneratedRegex(@"^---\s*$")]
    private static partial Regex Separator();

    [GeneratedRegex(@"MigInfer\.Planning\.Documents\.(\w+)")]
    private static partial Regex TypeName();

    internal sealed class KindProbe
    {
        public string? Kind { get; set; }
    }
}
