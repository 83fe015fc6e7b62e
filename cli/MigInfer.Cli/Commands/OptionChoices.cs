using System.CommandLine;

namespace MigInfer.Cli.Commands;

/// <summary>Options that take one of a few words.</summary>
internal static class OptionChoices
{
    /// <summary>
    /// Accepts only <paramref name="choices"/>; anything else is a parse error naming the option and the value
    /// (<c>--output = xml must be one of table, json</c>), where System.CommandLine's own names neither.
    /// </summary>
    public static Option<string> OneOf(this Option<string> option, params string[] choices)
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!choices.Contains(value, StringComparer.Ordinal))
            {
                result.AddError($"{option.Name} = {value} must be one of {string.Join(", ", choices)}");
            }
        });
        return option;
    }
}
