using System.Runtime.CompilerServices;

namespace MigInfer.Operator.Tests.Fixtures;

/// <summary>Every awaited test operation gets a deadline, so a hang fails with the file and line instead of stalling CI.</summary>
internal static class Timeouts
{
    /// <summary>
    /// Generous, because CI runs every test project at once on two cores: a cluster scenario that takes 2 s
    /// alone (a CP-SAT solve, a rollout, the fake MIG manager and kubelet) once took over 20 s there.
    /// </summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(45);

    public static async Task<T> Within<T>(this Task<T> task, TimeSpan? limit = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        try
        {
            return await task.WaitAsync(limit ?? Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Path.GetFileName(file)}:{line}: no result within {(limit ?? Default).TotalSeconds} s");
        }
    }

    public static async Task Within(this Task task, TimeSpan? limit = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        try
        {
            await task.WaitAsync(limit ?? Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Path.GetFileName(file)}:{line}: not done within {(limit ?? Default).TotalSeconds} s");
        }
    }

    /// <summary>Polls a condition of the fake cluster (no watch exists for test assertions) until it holds.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what, TimeSpan? limit = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var deadline = DateTime.UtcNow + (limit ?? Default);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Path.GetFileName(file)}:{line}: {what} did not happen within {(limit ?? Default).TotalSeconds} s");
            }

            await Task.Delay(25);
        }
    }
}
