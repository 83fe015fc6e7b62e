using System.Text.Json.Nodes;
using MigInfer.Chart.Tests.Fixtures;

namespace MigInfer.Chart.Tests;

public sealed class JsonSchemaCheckerTests
{
    [Theory]
    [InlineData("""{"type":"integer"}""", "3", null)]
    [InlineData("""{"type":"integer"}""", "3.5", "$: is number but must be integer")]
    [InlineData("""{"type":"number"}""", "3", null)]
    [InlineData("""{"type":"string"}""", "true", "$: is boolean but must be string")]
    [InlineData("""{"type":["string","integer"]}""", "7", null)]
    [InlineData("""{"type":"object","required":["a"]}""", "{}", "$: required property 'a' is missing")]
    [InlineData("""{"type":"object","additionalProperties":false,"properties":{"a":{"type":"string"}}}""", """{"b":1}""", "$.b: property is not allowed")]
    [InlineData("""{"type":"object","additionalProperties":{"type":"string"}}""", """{"b":1}""", "$.b: is number but must be string")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"object","properties":{"b":{"maximum":2}}}}}""", """{"a":{"b":3}}""", "$.a.b: 3 is above the maximum 2")]
    [InlineData("""{"minimum":1}""", "0", "$: 0 is below the minimum 1")]
    [InlineData("""{"enum":["x","y"]}""", "\"z\"", "$: \"z\" is not one of")]
    [InlineData("""{"enum":["x","y"]}""", "\"y\"", null)]
    [InlineData("""{"pattern":"^[a-z]+$"}""", "\"Abc\"", "$: 'Abc' does not match")]
    [InlineData("""{"minLength":2,"maxLength":3}""", "\"a\"", "$: 'a' is shorter than 2")]
    [InlineData("""{"minLength":2,"maxLength":3}""", "\"abcd\"", "$: 'abcd' is longer than 3")]
    [InlineData("""{"type":"array","items":{"type":"string"}}""", """["a",2]""", "$[1]: is number but must be string")]
    public void Validate_ReportsExactlyTheViolation(string schema, string document, string? expected)
    {
        var errors = JsonSchemaChecker.Validate(JsonNode.Parse(schema)!, JsonNode.Parse(document));

        if (expected is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("""{"oneOf":[{"type":"string"}]}""")]
    [InlineData("""{"type":"object","properties":{"a":{"exclusiveMinimum":0}}}""")]
    public void Validate_RefusesKeywordsItDoesNotImplement(string schema)
    {
        Assert.Throws<NotSupportedException>(() => JsonSchemaChecker.Validate(JsonNode.Parse(schema)!, JsonNode.Parse("""{"a":1}""")));
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{"a":{"type":"integer"}}}""", """{"b":1}""", "$.b: property is not allowed")]
    [InlineData("""{"type":"object","x-kubernetes-preserve-unknown-fields":true}""", """{"b":1}""", null)]
    [InlineData("""{"type":"object","maxProperties":1,"additionalProperties":{"type":"integer","minimum":1}}""", """{"a":1,"b":2}""", "$: has 2 properties, more than 1")]
    [InlineData("""{"type":"object","additionalProperties":{"type":"integer","minimum":1}}""", """{"a":0}""", "$.a: 0 is below the minimum 1")]
    [InlineData("""{"type":"array","minItems":1,"maxItems":2,"x-kubernetes-list-type":"set"}""", "[]", "$: has 0 items, fewer than 1")]
    [InlineData("""{"type":"array","maxItems":2}""", "[1,2,3]", "$: has 3 items, more than 2")]
    [InlineData("""{"anyOf":[{"type":"integer"},{"type":"string"}],"x-kubernetes-int-or-string":true}""", "\"2Gi\"", null)]
    [InlineData("""{"anyOf":[{"type":"integer"},{"type":"string"}],"x-kubernetes-int-or-string":true}""", "true", "$: true matches none of")]
    [InlineData("""{"type":"integer","format":"int32","default":1}""", "3", null)]
    public void ValidateAsKubernetes_RefusesUndeclaredFieldsAndChecksBounds(string schema, string document, string? expected)
    {
        var errors = JsonSchemaChecker.Validate(JsonNode.Parse(schema)!, JsonNode.Parse(document), kubernetes: true);

        if (expected is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void YamlScalars_FollowTheCoreSchema()
    {
        var doc = YamlJson.Documents("a: 1\nb: 0.5\nc: \"1\"\nd: true\ne: ~\nf: text\ng: '0.5'\n").Single()!;

        Assert.Equal("""{"a":1,"b":0.5,"c":"1","d":true,"e":null,"f":"text","g":"0.5"}""", doc.ToJsonString());
    }
}
