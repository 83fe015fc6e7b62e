using MigInfer.Planning.Catalog;
using MigInfer.Planning.Documents;
using MigInfer.Planning.Model;

namespace MigInfer.Cli;

/// <summary>Reads inventories, services and plans from files and folders, relative paths as given.</summary>
internal static class InputFiles
{
    public static ClusterInventory Inventory(string path, GpuCatalog catalog) => InventoryReader.Read(ReadText(path), path, catalog);

    /// <summary>
    /// Services from one YAML file, or from every .yaml/.yml file of a folder (sorted by name), with the
    /// file each came from; ConfigMaps in any of the files are the profiles spec.profile.profileRef may name.
    /// </summary>
    public static IReadOnlyList<(ServiceDemand Service, string File)> Services(string path, GpuCatalog catalog)
    {
        var files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()
            : [path];
        var texts = files.Select(f => (File: f, Text: ReadText(f))).ToList();
        var configMaps = new ConfigMapSet();
        texts.ForEach(t => configMaps.AddFromYaml(t.Text, t.File));
        var services = texts.SelectMany(t => ServiceReader.Read(t.Text, t.File, catalog, configMaps).Select(s => (s, t.File))).ToList();
        ServiceReader.RequireDistinctNames(services.Select(s => (s.s.Name, s.File)));
        return services.Count > 0 ? services : throw new DocumentException($"{path}: no InferenceService found");
    }

    /// <summary>The cluster with the current layouts of the plan at <paramref name="path"/>; a layout the planner refuses names that file.</summary>
    public static ClusterInventory WithCurrentPlan(ClusterInventory cluster, string path, GpuCatalog catalog) =>
        InventoryReader.Checked(PlanJson.WithCurrent(cluster, PlanJson.ReadCurrent(ReadText(path), path), path), catalog, path);

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DocumentException($"{path}: cannot read the file: {e.Message}", e);
        }
    }
}
