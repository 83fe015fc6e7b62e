namespace MigInfer.InferenceServer.Model;

/// <summary>The life of the served model: ready only between warm-up and drain.</summary>
internal enum EngineState
{
    Loading,
    Ready,
    Draining,
    Failed,
}
