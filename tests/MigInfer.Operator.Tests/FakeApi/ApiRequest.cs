namespace MigInfer.Operator.Tests.FakeApi;

/// <summary>One request as the fake server understood it: verb, kind, namespace, name and subresource.</summary>
internal sealed record ApiRequest(string Method, KindInfo Kind, string? Namespace, string? Name, string? Subresource, bool Watch)
{
    /// <summary>Kubernetes' verb names: get, list, watch, create, update, patch, delete.</summary>
    public string Verb => Method switch
    {
        "GET" when Watch => "watch",
        "GET" when Name is null => "list",
        "GET" => "get",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => "delete",
        _ => Method.ToLowerInvariant(),
    };

    public static ApiRequest? Parse(string method, string path, bool watch)
    {
        var parts = path.Trim('/').Split('/');
        int rest;
        string group, version;
        if (parts is ["api", var v, ..])
        {
            (group, version, rest) = ("", v, 2);
        }
        else if (parts is ["apis", var g, var v2, ..])
        {
            (group, version, rest) = (g, v2, 3);
        }
        else
        {
            return null;
        }

        string? ns = null;
        if (parts.Length > rest + 2 && parts[rest] == "namespaces")
        {
            ns = parts[rest + 1];
            rest += 2;
        }

        if (parts.Length <= rest)
        {
            return null;
        }

        var kind = KindInfo.Defaults.FirstOrDefault(k => k.Group == group && k.Version == version && k.Plural == parts[rest]);
        return kind is null ? null : new ApiRequest(method, kind, ns, parts.ElementAtOrDefault(rest + 1), parts.ElementAtOrDefault(rest + 2), watch);
    }
}
