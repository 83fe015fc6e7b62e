using System.Text.RegularExpressions;

namespace MigInfer.Chart.Tests.Fixtures;

/// <summary>The instructions of a Dockerfile (continuation lines joined), enough to check it without Docker.</summary>
internal sealed partial class DockerfileText
{
    private DockerfileText(IReadOnlyList<(string Keyword, string Arguments)> instructions) => Instructions = instructions;

    public IReadOnlyList<(string Keyword, string Arguments)> Instructions { get; }

    /// <summary>Instructions of the last stage (the image that ships).</summary>
    public IEnumerable<(string Keyword, string Arguments)> FinalStage =>
        Instructions.Skip(Instructions.Select((x, i) => (x, i)).Last(p => p.x.Keyword == "FROM").i);

    public static DockerfileText Load(string relativePath)
    {
        var joined = Continuation().Replace(File.ReadAllText(RepoPaths.InRoot(relativePath)), " ");
        var instructions = joined.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2))
            .Select(p => (p[0].ToUpperInvariant(), p.Length > 1 ? p[1].Trim() : ""))
            .ToList();
        return new DockerfileText(instructions);
    }

    public IEnumerable<string> All(string keyword) => Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);

    /// <summary>Sources of COPY instructions that read the build context (not another stage).</summary>
    public IEnumerable<string> ContextSources() =>
        All("COPY").Where(a => !a.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(a => a.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).SkipLast(1));

    [GeneratedRegex(@"\\\s*\n")]
    private static partial Regex Continuation();
}
