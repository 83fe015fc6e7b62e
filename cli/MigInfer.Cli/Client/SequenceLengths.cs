using System.Globalization;

namespace MigInfer.Cli.Client;

/// <summary>
/// The length generated requests give variable non-batch dimensions (a sequence): one length, or a range
/// <c>MIN-MAX</c> from which each request draws its own, so a server can show how it batches and pads
/// requests of different lengths.
/// </summary>
internal readonly record struct SequenceLengths(int Min, int Max)
{
    public static SequenceLengths Fixed(int length) => new(length, length);

    /// <summary>Reads <c>N</c> or <c>MIN-MAX</c> (1 to 4096); anything else is a <see cref="FormatException"/> naming the option and value.</summary>
    public static SequenceLengths Parse(string text)
    {
        var parts = text.Split('-');
        if (parts.Length is 1 or 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
            && int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var max)
            && min is >= 1 and <= 4096 && max is >= 1 and <= 4096 && min <= max)
        {
            return new SequenceLengths(min, max);
        }

        throw new FormatException($"--sequence {text} is not a length or a range MIN-MAX of lengths from 1 to 4096 (e.g. 16 or 8-64)");
    }

    public int Draw(Random random) => Min == Max ? Min : random.Next(Min, Max + 1);
}
