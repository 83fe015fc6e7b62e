namespace MigInfer.Cli;

/// <summary>Process exit codes the CLI uses.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The plan was computed but some service's SLO cannot be met.</summary>
    public const int Unmet = 1;

    /// <summary>Bad input: a file, an object or a field that cannot be used; one message names it.</summary>
    public const int BadInput = 2;
}
