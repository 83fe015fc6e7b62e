using MigInfer.OnnxModels;

namespace MigInfer.Cli.Local;

/// <summary>Options of <c>miginfer local up</c>.</summary>
internal sealed record LocalOptions(string Folder, int? BasePort, ModelScale ModelScale, TimeSpan TimeLimit, TimeSpan ReadyTimeout)
{
    /// <summary>The server started per slice: the one built beside the CLI, unless MIGINFER_SERVER_DLL names another.</summary>
    public static string ServerAssembly =>
        Environment.GetEnvironmentVariable("MIGINFER_SERVER_DLL") is { Length: > 0 } path
            ? path
            : Path.Combine(AppContext.BaseDirectory, "MigInfer.InferenceServer.dll");
}
