using System.Runtime.CompilerServices;

namespace MigInfer.InferenceServer.Tests.Fixtures;

/// <summary>Every awaited test operation goes through here, so a hang fails with the caller's file and line.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public static async Task<T> WithTimeout<T>(this Task<T> task, TimeSpan? timeout = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        await ((Task)task).WithTimeout(timeout, file, line);
        return await task;
    }

    public static async Task WithTimeout(this Task task, TimeSpan? timeout = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var limit = timeout ?? Default;
        if (await Task.WhenAny(task, Task.Delay(limit)) != task)
        {
            throw new TimeoutException($"timed out after {limit.TotalSeconds} s at {Path.GetFileName(file)}:{line}");
        }

        await task;
    }
}
