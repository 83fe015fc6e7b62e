using MigInfer.OnnxModels;

namespace MigInfer.InferenceServer.Tests.Fixtures;

/// <summary>Writes zoo models to a temporary folder once per name.</summary>
internal static class ModelFiles
{
    private static readonly string Folder = Scratch.NewFolder("models");
    private static readonly Lock Gate = new();

    public static string PathOf(string name)
    {
        var path = Path.Combine(Folder, name + ".onnx");
        lock (Gate)
        {
            if (!File.Exists(path))
            {
                ModelZoo.Write(name, path);
            }
        }

        return path;
    }
}
