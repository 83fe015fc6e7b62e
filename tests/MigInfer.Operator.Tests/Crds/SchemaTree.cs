using System.Collections;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;
using YamlDotNet.Serialization;

namespace MigInfer.Operator.Tests.Crds;

/// <summary>
/// Flattens a schema into <c>path → type</c> lines, from the CRD YAML or from C# types by reflection,
/// so the two can be compared. Arrays add <c>[]</c>, maps <c>{}</c>; integers carry their format.
/// </summary>
internal static class SchemaTree
{
    public static SortedDictionary<string, string> FromCrd(string file, string property)
    {
        var crd = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(File.ReadAllText(file));
        var version = (Dictionary<object, object>)((List<object>)Map(crd, "spec")["versions"])[0];
        var root = Map(Map(Map(version, "schema"), "openAPIV3Schema"), "properties");
        var tree = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Walk(Map(root, property), property, tree);
        return tree;
    }

    public static SortedDictionary<string, string> FromType(Type type, string property)
    {
        var tree = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Walk(type, property, tree, depth: 0);
        return tree;
    }

    private static void Walk(Dictionary<object, object> schema, string path, SortedDictionary<string, string> tree)
    {
        if (schema.TryGetValue("x-kubernetes-int-or-string", out var ios) && ios is "true")
        {
            tree[path] = "int-or-string";
            return;
        }

        var type = (string)schema["type"];
        tree[path] = type == "integer" ? $"integer/{schema.GetValueOrDefault("format") ?? "(no format)"}" : type;
        if (schema.TryGetValue("properties", out var props))
        {
            foreach (var (name, child) in (Dictionary<object, object>)props)
            {
                Walk((Dictionary<object, object>)child, $"{path}.{name}", tree);
            }
        }

        if (schema.TryGetValue("items", out var items))
        {
            Walk((Dictionary<object, object>)items, path + "[]", tree);
        }

        if (schema.TryGetValue("additionalProperties", out var values))
        {
            Walk((Dictionary<object, object>)values, path + "{}", tree);
        }
    }

    private static void Walk(Type type, string path, SortedDictionary<string, string> tree, int depth)
    {
        if (depth > 12)
        {
            throw new InvalidOperationException($"{path}: the type nests too deeply; a cycle?");
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        var leaf = Leaf(type);
        if (leaf is not null)
        {
            tree[path] = leaf;
            return;
        }

        if (type.IsGenericType && type.GetGenericArguments() is [var key, var value] && typeof(IDictionary).IsAssignableFrom(type))
        {
            Assert.Equal(typeof(string), key);
            tree[path] = "object";
            Walk(value, path + "{}", tree, depth + 1);
            return;
        }

        if (type != typeof(string) && type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) is { } enumerable)
        {
            tree[path] = "array";
            Walk(enumerable.GetGenericArguments()[0], path + "[]", tree, depth + 1);
            return;
        }

        tree[path] = "object";
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
                ?? throw new InvalidOperationException($"{type.Name}.{property.Name} has no [JsonPropertyName]");
            Walk(property.PropertyType, $"{path}.{name}", tree, depth + 1);
        }
    }

    private static string? Leaf(Type type) => type switch
    {
        _ when type == typeof(string) => "string",
        _ when type == typeof(bool) => "boolean",
        _ when type == typeof(int) => "integer/int32",
        _ when type == typeof(long) => "integer/int64",
        _ when type == typeof(double) => "number",
        _ when type == typeof(DateTime) => "string",
        _ when type == typeof(ResourceQuantity) => "int-or-string",
        _ => null,
    };

    private static Dictionary<object, object> Map(Dictionary<object, object> node, string key) => (Dictionary<object, object>)node[key];
}
