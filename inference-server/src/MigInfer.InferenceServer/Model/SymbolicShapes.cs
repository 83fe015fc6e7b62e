namespace MigInfer.InferenceServer.Model;

/// <summary>Tensors by their symbolic dimension names, as models declare padding and limits against them.</summary>
internal static class SymbolicShapes
{
    /// <summary>Tensors as <c>name[dim,dim]</c>, <c>?</c> for a fixed or unnamed dimension.</summary>
    public static string Describe(IReadOnlyList<(string Name, IReadOnlyList<string> Symbols)> tensors) =>
        string.Join(", ", tensors.Select(t => $"{t.Name}[{string.Join(",", t.Symbols.Select(s => s.Length == 0 ? "?" : s))}]"));
}
