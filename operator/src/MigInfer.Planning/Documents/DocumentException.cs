namespace MigInfer.Planning.Documents;

/// <summary>
/// A file that cannot be used. The message starts with the file (and line, when known), then the
/// object and the field, so the CLI can print it as the one line a user needs.
/// </summary>
public sealed class DocumentException : Exception
{
    public DocumentException(string message) : base(message) { }

    public DocumentException(string message, Exception inner) : base(message, inner) { }

    public DocumentException() { }
}
