namespace LsTranslate.Model.Corpora;

/// <summary>One parallel sentence pair and where it came from (for error messages and reports).</summary>
public sealed record SentencePair(string Source, string Target, string File, long Line);
