namespace MigInfer.Scheduling;

/// <summary>Helpers for MIG profile names such as <c>3g.20gb</c> or <c>1c.3g.20gb</c>.</summary>
public static class SliceProfiles
{
    /// <summary>
    /// The compute size (GPCs) named by the profile's leading <c>Ng.</c> or <c>Nc.</c> part;
    /// false when the name carries none (for example a whole GPU), in which case the caller
    /// supplies the size.
    /// </summary>
    public static bool TryParseComputeSize(string profile, out int computeSize)
    {
        ArgumentNullException.ThrowIfNull(profile);
        computeSize = 0;
        int i = 0;
        while (i < profile.Length && char.IsAsciiDigit(profile[i]))
        {
            computeSize = (computeSize * 10) + (profile[i] - '0');
            if (computeSize > 1000)
            {
                return false;
            }

            i++;
        }

        bool ok = i > 0 && i + 1 < profile.Length && (profile[i] is 'g' or 'c') && profile[i + 1] == '.' && computeSize > 0;
        if (!ok)
        {
            computeSize = 0;
        }

        return ok;
    }

    /// <summary>Like <see cref="TryParseComputeSize"/>, throwing an <see cref="ArgumentException"/> naming the profile when absent.</summary>
    public static int ParseComputeSize(string profile) =>
        TryParseComputeSize(profile, out int size)
            ? size
            : throw new ArgumentException($"Profile '{profile}' does not start with 'Ng.' or 'Nc.'; pass the compute size explicitly.", nameof(profile));
}
