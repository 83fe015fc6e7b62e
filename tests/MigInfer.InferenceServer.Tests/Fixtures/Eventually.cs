using System.Diagnostics;

namespace MigInfer.InferenceServer.Tests.Fixtures;

/// <summary>Waits for a condition the servers reach on their own time, failing the test when it takes too long.</summary>
internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every 10 ms until it holds; fails after <paramref name="limit"/> (default <see cref="TestTimeouts.Default"/>).</summary>
    public static Task TrueAsync(Func<bool> condition, TimeSpan? limit = null) => TrueAsync(() => Task.FromResult(condition()), limit);

    /// <inheritdoc cref="TrueAsync(Func{bool}, TimeSpan?)"/>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan? limit = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < (limit ?? TestTimeouts.Default), $"condition not reached within {limit ?? TestTimeouts.Default}");
            await Task.Delay(10);
        }
    }
}
