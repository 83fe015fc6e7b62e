using MigInfer.OnnxModels;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Documents;
using MigInfer.Planning.Model;

namespace MigInfer.Cli.Local;

/// <summary>
/// A local-mode folder: one ClusterInventory (the simulated cluster) and InferenceServices, in any of
/// its .yaml files, with models under it referenced by <c>file://</c> URIs relative to the folder.
/// </summary>
internal sealed class LocalFolder
{
    private LocalFolder(string path, ClusterInventory inventory, IReadOnlyList<LocalServiceSpec> services)
    {
        Path = path;
        Inventory = inventory;
        Services = services;
    }

    public string Path { get; }

    public ClusterInventory Inventory { get; }

    public IReadOnlyList<LocalServiceSpec> Services { get; }

    public static LocalFolder Read(string path, GpuCatalog catalog)
    {
        if (!Directory.Exists(path))
        {
            throw new DocumentException($"{path}: no such folder");
        }

        var files = Directory.EnumerateFiles(path)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        var inventories = files.Where(f => File.ReadAllText(f).Contains("kind: ClusterInventory", StringComparison.Ordinal)).ToList();
        if (inventories.Count != 1)
        {
            throw new DocumentException($"{path}: expected one file with a ClusterInventory (the simulated cluster), found {inventories.Count}");
        }

        var inventory = InventoryReader.Read(File.ReadAllText(inventories[0]), inventories[0], catalog);
        var configMaps = new ConfigMapSet();
        files.ForEach(f => configMaps.AddFromYaml(File.ReadAllText(f), f));
        var services = files
            .SelectMany(f => ServiceReader.ReadWithDocuments(File.ReadAllText(f), f, catalog, configMaps).Select(s => new LocalServiceSpec(s.Demand, s.Document, f, ModelPath(path, f, s.Document))))
            .ToList();
        if (services.Count == 0)
        {
            throw new DocumentException($"{path}: no InferenceService found in its .yaml files");
        }

        ServiceReader.RequireDistinctNames(services.Select(s => (s.Demand.Name, s.File)));

        return new LocalFolder(path, inventory, services);
    }

    /// <summary>
    /// Writes any missing model whose file name is a model of the zoo (e.g. models/resnet50.onnx);
    /// any other missing model is an error naming the service and its storage URI.
    /// </summary>
    public void EnsureModels(ModelScale scale, TextWriter log)
    {
        foreach (var service in Services.Where(s => !File.Exists(s.ModelPath)))
        {
            var name = System.IO.Path.GetFileNameWithoutExtension(service.ModelPath);
            if (!ModelZoo.Names.Contains(name))
            {
                throw new DocumentException($"{service.File}: InferenceService {service.Demand.Name}: spec.model.storageUri = {service.Document.Spec?.Model?.StorageUri}: {service.ModelPath} does not exist (and {name} is not a model `miginfer models` can write: {string.Join(", ", ModelZoo.Names)})");
            }

            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(service.ModelPath)!);
            var card = ModelZoo.Write(name, service.ModelPath, seed: 0, scale);
            log.WriteLine($"generated {service.ModelPath} ({scale.ToString().ToLowerInvariant()} {card.Name}, {card.ParameterCount:N0} parameters, seeded random weights)");
        }
    }

    private static string ModelPath(string folder, string file, InferenceServiceDocument document)
    {
        var uri = document.Spec?.Model?.StorageUri
            ?? throw new DocumentException($"{file}: InferenceService {document.Metadata.Name}: spec.model.storageUri is missing");
        if (!uri.StartsWith("file://", StringComparison.Ordinal))
        {
            throw new DocumentException($"{file}: InferenceService {document.Metadata.Name}: spec.model.storageUri = {uri}: local mode serves file:// models (relative to {folder} or absolute)");
        }

        var path = uri["file://".Length..];
        return System.IO.Path.GetFullPath(System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.Combine(folder, path));
    }
}
