namespace MigInfer.InferenceServer.Model;

/// <summary>The life of the served model: ready only between warm-up and drain.</summary>
internal enum EngineState
{
    Loading,

    /// <summary>Loaded; answering the server's own warm-up requests (and no client's) on this slice, uncounted, before it says ready.</summary>
    WarmingUp,
    Ready,
    Draining,
    Failed,
}
