namespace MigInfer.Planning;

/// <summary>
/// Input the planner cannot use. The message names the object and the field, so a host can show
/// it unchanged (CLI error line, status condition, event).
/// </summary>
public sealed class PlanningInputException : Exception
{
    public PlanningInputException(string message) : base(message) { }

    public PlanningInputException(string message, Exception inner) : base(message, inner) { }

    public PlanningInputException() { }
}
