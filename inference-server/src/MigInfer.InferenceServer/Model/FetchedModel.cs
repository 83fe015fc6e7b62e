namespace MigInfer.InferenceServer.Model;

/// <summary>A model file on local disk, checked against the size limit and checksum.</summary>
internal sealed record FetchedModel(string Path, long Bytes, string Sha256);
