using System.Globalization;

namespace MigInfer.Planning.Documents;

/// <summary>spec.model.</summary>
public sealed class ModelDocument
{
    public string? StorageUri { get; set; }
    public string? Format { get; set; }
    public int? MaxBatchSize { get; set; }
    public int? MemoryMiB { get; set; }

    /// <summary>Longest lengths of symbolic input dimensions past the batch; the slice servers' <c>--max-dims</c>.</summary>
    public Dictionary<string, long>? MaxDims { get; set; }

    /// <summary>spec.model.maxDims as the servers' <c>--max-dims</c> takes it (<c>name=length,...</c>), in name order.</summary>
    public static string FormatMaxDims(IReadOnlyDictionary<string, long> maxDims) =>
        string.Join(',', maxDims.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => d.Key + "=" + d.Value.ToString(CultureInfo.InvariantCulture)));
}
