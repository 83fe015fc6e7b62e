namespace MigInfer.Operator.Controllers;

/// <summary>One reconciler per kind: bring the world in line with the object a key names.</summary>
internal interface IReconciler
{
    string Kind { get; }

    Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancel);
}
