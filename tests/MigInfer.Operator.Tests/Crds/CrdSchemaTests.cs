using MigInfer.Operator.Resources;
using MigInfer.Operator.Tests.Fixtures;
using MigInfer.Planning.Documents;

namespace MigInfer.Operator.Tests.Crds;

public sealed class CrdSchemaTests
{
    public static TheoryData<string, Type, string> Parts => new()
    {
        { "inferenceservices.miginfer.io.yaml", typeof(InferenceServiceSpec), "spec" },
        { "inferenceservices.miginfer.io.yaml", typeof(InferenceServiceStatus), "status" },
        { "migplans.miginfer.io.yaml", typeof(MigPlanSpec), "spec" },
        { "migplans.miginfer.io.yaml", typeof(MigPlanStatus), "status" },
    };

    [Theory]
    [MemberData(nameof(Parts))]
    public void CrdYamlAndCSharpTypes_HaveTheSameFieldsAndTypes(string crd, Type type, string property)
    {
        var yaml = SchemaTree.FromCrd(RepoPaths.Crd(crd), property);
        var csharp = SchemaTree.FromType(type, property);

        var onlyYaml = yaml.Where(kv => csharp.GetValueOrDefault(kv.Key) != kv.Value).Select(kv => $"{kv.Key}: {kv.Value}");
        var onlyCSharp = csharp.Where(kv => yaml.GetValueOrDefault(kv.Key) != kv.Value).Select(kv => $"{kv.Key}: {kv.Value}");
        Assert.Equal("", string.Join('\n', onlyYaml.Select(l => "YAML only  " + l).Concat(onlyCSharp.Select(l => "C# only    " + l))));
    }

    [Fact]
    public void PlannerSpecDocument_ReadsOnlyFieldsTheCrdHas()
    {
        var crd = SchemaTree.FromCrd(RepoPaths.Crd("inferenceservices.miginfer.io.yaml"), "spec");
        var planner = PlannerFields(typeof(InferenceServiceSpecDocument), "spec");

        Assert.Equal("", string.Join(", ", planner.Where(path => !crd.ContainsKey(path))));
    }

    [Fact]
    public void SchemaTree_ReportsAFieldTheTypesLack()
    {
        var yaml = SchemaTree.FromCrd(RepoPaths.Crd("inferenceservices.miginfer.io.yaml"), "spec");
        var csharp = SchemaTree.FromType(typeof(ModelSpec), "spec.model");

        Assert.Contains("spec.model.storageUri", csharp.Keys);
        Assert.Equal(yaml["spec.model.maxBatchSize"], csharp["spec.model.maxBatchSize"]);
        Assert.DoesNotContain("spec.model.slo", csharp.Keys);
    }

    /// <summary>The planner's YAML documents bind camelCase names; opaque maps (server, tolerations) end the walk.</summary>
    private static List<string> PlannerFields(Type type, string path)
    {
        var fields = new List<string>();
        foreach (var property in type.GetProperties())
        {
            var name = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            var child = $"{path}.{name}";
            fields.Add(child);
            var propertyType = property.PropertyType;
            if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(List<>))
            {
                child += "[]";
                propertyType = propertyType.GetGenericArguments()[0];
            }

            if (propertyType.Namespace == typeof(InferenceServiceSpecDocument).Namespace && propertyType.IsClass)
            {
                fields.AddRange(PlannerFields(propertyType, child));
            }
        }

        return fields;
    }
}
