namespace MigInfer.Operator.Resources;

/// <summary>The API group and version of MigInfer's custom resources (crds/).</summary>
public static class MigInferApi
{
    public const string Group = "miginfer.io";
    public const string Version = "v1alpha1";

    /// <summary>The <c>apiVersion</c> every MigInfer object carries.</summary>
    public const string ApiVersion = Group + "/" + Version;
}
