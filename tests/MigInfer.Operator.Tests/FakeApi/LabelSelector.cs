using System.Text.Json.Nodes;

namespace MigInfer.Operator.Tests.FakeApi;

/// <summary>Kubernetes label selectors: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k</c>, <c>!k</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>.</summary>
internal sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _terms = [];

    private LabelSelector() { }

    public static LabelSelector Everything { get; } = new();

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        foreach (var term in SplitTerms(text ?? ""))
        {
            selector._terms.Add(ParseTerm(term.Trim()));
        }

        return selector;
    }

    public bool Matches(JsonObject obj)
    {
        var labels = (obj["metadata"]?["labels"] as JsonObject)?.ToDictionary(kv => kv.Key, kv => kv.Value?.GetValue<string>() ?? "")
            ?? [];
        return _terms.All(t => t(labels));
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseTerm(string term)
    {
        if (term.Contains(" notin ", StringComparison.Ordinal) || term.Contains(" in ", StringComparison.Ordinal))
        {
            var negate = term.Contains(" notin ", StringComparison.Ordinal);
            var parts = term.Split(negate ? " notin " : " in ", 2);
            var key = parts[0].Trim();
            var values = parts[1].Trim().TrimStart('(').TrimEnd(')').Split(',').Select(v => v.Trim()).ToHashSet();
            return l => negate ? !(l.TryGetValue(key, out var v) && values.Contains(v)) : l.TryGetValue(key, out var w) && values.Contains(w);
        }

        if (term.Contains("!=", StringComparison.Ordinal))
        {
            var parts = term.Split("!=", 2);
            return l => !l.TryGetValue(parts[0], out var v) || v != parts[1];
        }

        if (term.Contains('=', StringComparison.Ordinal))
        {
            var parts = term.Replace("==", "=").Split('=', 2);
            return l => l.TryGetValue(parts[0], out var v) && v == parts[1];
        }

        return term.StartsWith('!') ? l => !l.ContainsKey(term[1..]) : l => l.ContainsKey(term);
    }

    /// <summary>Splits on commas that are not inside a value list.</summary>
    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }
}
