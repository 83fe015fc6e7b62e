using MigInfer.Planning.Documents;
using MigInfer.Planning.Model;

namespace MigInfer.Cli.Local;

/// <summary>A service of a local-mode folder: what the planner needs, the whole spec, its file and its model.</summary>
internal sealed record LocalServiceSpec(ServiceDemand Demand, InferenceServiceDocument Document, string File, string ModelPath)
{
    /// <summary>The name clients address: the InferenceService's metadata.name.</summary>
    public string ModelName => Document.Metadata.Name!;
}
