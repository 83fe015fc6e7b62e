using System.Security.Cryptography;
using System.Text;

namespace MigInfer.Operator.Rendering;

/// <summary>Deterministic object names, so a restarted operator finds what it created instead of creating it twice.</summary>
internal static class Names
{
    public static string SlicePod(string service, string node, int gpu, int start) => Dns($"{service}-{node}-g{gpu}-s{start}");

    public static string ClientService(string service) => Dns(service);

    public static string PeerService(string service) => Dns(service + "-peers");

    public static string DisruptionBudget(string service) => Dns(service + "-slices");

    /// <summary>The mig-parted configuration for a node's layouts: the content's hash in the name makes every change a new label value.</summary>
    public static string MigConfig(string node, string content, int attempt) =>
        Dns($"miginfer-{node}-{Hash(content)}" + (attempt > 0 ? $"-r{attempt}" : ""));

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..10];

    /// <summary>A DNS-1123 label: lower case, at most 63 characters (long names keep a hash of the whole).</summary>
    public static string Dns(string name)
    {
        var clean = new string([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-')]).Trim('-');
        return clean.Length <= 63 ? clean : $"{clean[..52].TrimEnd('-')}-{Hash(clean)}";
    }

    /// <summary>A label value for a MIG profile ('+' is not allowed in label values).</summary>
    public static string ProfileLabel(string profile) => profile.Replace('+', '.');
}
