namespace LsTranslate;

/// <summary>
/// A problem with what the user gave us (a file, a line, an option value). The command line prints
/// its message as one error line and exits non-zero; it never shows a stack trace for these.
/// </summary>
public class InputError : Exception
{
    public InputError(string message) : base(message) { }

    /// <summary>An error located in a file, at a 1-based line when known.</summary>
    public static InputError At(string file, long line, string problem) =>
        new(line > 0 ? $"{file}:{line}: {problem}" : $"{file}: {problem}");
}
