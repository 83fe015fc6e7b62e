using System.Diagnostics;
using System.Text.Json;

namespace MigInfer.Cli.Local;

/// <summary>
/// What a running <c>miginfer local up</c> publishes for <c>infer</c> and <c>bench</c>: its process,
/// its folder, and every slice server with its endpoints. One local mode runs per MIGINFER_HOME.
/// </summary>
internal sealed record LocalState(int Pid, string Folder, DateTimeOffset Started, List<LocalService> Services)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary><c>$MIGINFER_HOME</c>, else <c>~/.miginfer</c>.</summary>
    public static string Home =>
        Environment.GetEnvironmentVariable("MIGINFER_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".miginfer");

    public static string FilePath => Path.Combine(Home, "local.json");

    /// <summary>The state of a local mode that is up, or null when none is (a stale file is ignored).</summary>
    public static LocalState? ReadRunning()
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }

        LocalState? state;
        try
        {
            state = JsonSerializer.Deserialize<LocalState>(File.ReadAllText(FilePath), Json);
        }
        catch (JsonException)
        {
            return null;
        }

        return state is not null && IsAlive(state.Pid) ? state : null;
    }

    public void Write()
    {
        Directory.CreateDirectory(Home);
        var temp = FilePath + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json));
        File.Move(temp, FilePath, overwrite: true);
    }

    public static void Delete() => File.Delete(FilePath);

    /// <summary>Finds a service by <c>namespace/name</c> or by its name alone.</summary>
    public LocalService? Find(string service) =>
        Services.FirstOrDefault(s => s.Name == service) ?? Services.SingleOrDefault(s => s.Model == service);

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
