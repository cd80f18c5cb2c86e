using System.Text;
using LsTranslate.Cli.Reports;
using LsTranslate.Decode.Evaluation;

namespace LsTranslate.Cli.Experiments;

/// <summary>
/// One of the paper's claims judged from our numbers: what it says, where or what the paper reports, what we measured
/// (with the interval it was judged on), and what that interval shows (EvidenceRule).
/// </summary>
public sealed record Claim(string Statement, string Paper, string Ours, Evidence Evidence)
{
    public bool Shown => Evidence == Evidence.Shown;

    public string Verdict => Evidence switch
    {
        Evidence.Shown => "shown",
        Evidence.Opposite => "no: the opposite is shown",
        _ => "within noise",
    };
}

/// <summary>How the three reproductions present their claims: one table in the report, one line each on stdout.</summary>
public static class Claims
{
    /// <param name="paperColumn">the heading of the paper's column (what the paper measured on).</param>
    public static void AppendMarkdown(StringBuilder md, IReadOnlyList<Claim> claims, string paperColumn)
    {
        md.Append(ReportFiles.MarkdownTable(["claim", paperColumn, "this run", "shown?"],
            claims.Select(c => (IReadOnlyList<string>)[c.Statement, c.Paper, c.Ours, c.Shown ? "**yes**" : c.Verdict])));
        md.AppendLine();
        md.AppendLine("A claim is shown only when the whole interval of its effect lies on the claimed side of zero (or of the margin it names); " +
                      "an interval that straddles zero is within noise, and one wholly on the other side shows the opposite.");
        md.AppendLine();
        int shown = claims.Count(c => c.Shown), opposite = claims.Count(c => c.Evidence == Evidence.Opposite);
        md.AppendLine(shown == claims.Count
            ? "Every claim is shown in this run."
            : $"{shown} of {claims.Count} claims are shown in this run, {claims.Count - shown - opposite} are within noise and " +
              $"{opposite} {(opposite == 1 ? "has its" : "have their")} opposite shown. Where ours disagrees with the paper, it is reported as measured: " +
              "the networks, data and budgets are much smaller than the paper's, and the verdicts are not tuned to agree.");
    }

    /// <summary>An interval of a difference as mean ± spread, the way vision and distillation state theirs.</summary>
    public static string MeanSpread(Interval difference) =>
        $"difference {(difference.Low + difference.High) / 2:+0.0000;−0.0000;0.0000} ± {(difference.High - difference.Low) / 2:0.0000}";

    public static void Print(TextWriter stdout, IEnumerable<Claim> claims)
    {
        foreach (var claim in claims) stdout.WriteLine($"{claim.Verdict}: {claim.Statement} ({claim.Ours})");
    }
}
