namespace MigInfer.Planning.Documents;

/// <summary>
/// The ConfigMaps a set of services may reference (spec.profile.profileRef), by namespace and name:
/// read from YAML documents of kind ConfigMap by the CLI, fetched from the API server by the operator.
/// </summary>
public sealed class ConfigMapSet
{
    private readonly Dictionary<(string Namespace, string Name), IReadOnlyDictionary<string, string>> _maps = [];

    public void Add(string @namespace, string name, IReadOnlyDictionary<string, string> data) => _maps[(@namespace, name)] = data;

    public bool TryGet(string @namespace, string name, out IReadOnlyDictionary<string, string> data) =>
        _maps.TryGetValue((@namespace, name), out data!);

    /// <summary>Adds every ConfigMap document of a (multi-document) YAML text; other kinds are ignored.</summary>
    public void AddFromYaml(string text, string source)
    {
        foreach (var (chunk, firstLine, kind) in YamlDocuments.Split(text, source))
        {
            if (kind != "ConfigMap")
            {
                continue;
            }

            var map = YamlDocuments.Read<ConfigMapDocument>(chunk, source, firstLine);
            var name = map.Metadata.Name ?? throw new DocumentException($"{source}:{firstLine + 1}: ConfigMap: metadata.name is missing");
            Add(map.Metadata.Namespace ?? "default", name, map.Data ?? []);
        }
    }
}
