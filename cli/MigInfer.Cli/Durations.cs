using System.Globalization;
using System.Text.RegularExpressions;

namespace MigInfer.Cli;

/// <summary>Parses durations written the way Kubernetes and Go write them: 500ms, 10s, 2m.</summary>
internal static partial class Durations
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        var match = Pattern().Match(text.Trim());
        value = default;
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return false;
        }

        value = match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "m" => TimeSpan.FromMinutes(n),
            _ => TimeSpan.FromSeconds(n),
        };
        return true;
    }

    [GeneratedRegex(@"^([0-9]*\.?[0-9]+)(ms|s|m)?$")]
    private static partial Regex Pattern();
}
