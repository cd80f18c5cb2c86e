namespace LsTranslate.Model;

/// <summary>
/// A field of an options record (SearchOptions, TrainOptions, …) holds a value no run can use. The library names each
/// field by its property and leaves the spelling to whoever shows the error: the command line writes its option
/// (`--lr`), the server its request's field (`max_len_a`). The fields are the message's <see cref="OptionField"/>
/// arguments; <see cref="Exception.Message"/> writes them as their properties.
/// </summary>
public sealed class InvalidOption(FormattableString message) : InputError(message.ToString())
{
    /// <summary>The property that is wrong: the first field the message names.</summary>
    public string Field { get; } = message.GetArguments().OfType<OptionField>().First().Property;

    /// <summary>The message with every field written as <paramref name="name"/> writes its property.</summary>
    public string Render(Func<string, string> name) =>
        string.Format(message.Format, message.GetArguments().Select(argument => argument is OptionField field ? name(field.Property) : argument).ToArray());
}

/// <summary>A field named in an <see cref="InvalidOption"/>'s message, by its property.</summary>
public sealed record OptionField(string Property)
{
    /// <summary>For `using static`: `$"{Option(nameof(Beam))} must be at least 1"`.</summary>
    public static OptionField Option(string property) => new(property);

    public override string ToString() => Property;
}
