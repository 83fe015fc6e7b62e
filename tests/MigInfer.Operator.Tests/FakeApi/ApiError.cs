using System.Text.Json.Nodes;

namespace MigInfer.Operator.Tests.FakeApi;

/// <summary>A failure the API server answers with a <c>Status</c> object, as the real one does.</summary>
internal sealed class ApiError(int code, string reason, string message) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject ToStatus() => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = Message,
        ["reason"] = Reason,
        ["code"] = Code,
    };

    public static ApiError NotFound(KindInfo kind, string name) => new(404, "NotFound", $"{kind.Plural} \"{name}\" not found");

    public static ApiError Conflict(KindInfo kind, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {kind.Plural} \"{name}\": {why}");

    public static ApiError AlreadyExists(KindInfo kind, string name) => new(409, "AlreadyExists", $"{kind.Plural} \"{name}\" already exists");

    public static ApiError Gone(string resourceVersion) => new(410, "Expired", $"too old resource version: {resourceVersion}");
}
