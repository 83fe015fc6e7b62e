using System.Text.Json.Nodes;

namespace MigInfer.Operator.Tests.FakeApi;

/// <summary>One change in the store: ADDED, MODIFIED or DELETED, with the object as it was then.</summary>
internal sealed record StoredEvent(long ResourceVersion, KindInfo Kind, string Type, JsonObject Object)
{
    public string? Namespace => (string?)Object["metadata"]?["namespace"];
}
