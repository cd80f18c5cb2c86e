using System.Text;
using LsTranslate.Cli.Reports;

namespace LsTranslate.Cli.Experiments;

/// <summary>One of the paper's claims judged from our numbers: what it says, where or what the paper reports, what we measured, whether ours shows it.</summary>
public sealed record Claim(string Statement, string Paper, string Ours, bool Shown)
{
    public string Verdict => Shown ? "shown" : "not shown";
}

/// <summary>How the three reproductions present their claims: one table in the report, one line each on stdout.</summary>
public static class Claims
{
    /// <param name="paperColumn">the heading of the paper's column (what the paper measured on).</param>
    public static void AppendMarkdown(StringBuilder md, IReadOnlyList<Claim> claims, string paperColumn)
    {
        md.Append(ReportFiles.MarkdownTable(["claim", paperColumn, "this run", "shown?"],
            claims.Select(c => (IReadOnlyList<string>)[c.Statement, c.Paper, c.Ours, c.Shown ? "**yes**" : "no"])));
        md.AppendLine();
        int shown = claims.Count(c => c.Shown);
        md.AppendLine(shown == claims.Count
            ? "Every claim holds in this run."
            : $"{shown} of {claims.Count} claims hold in this run. Where ours disagrees with the paper, it is reported as measured: " +
              "the networks, data and budgets are much smaller than the paper's, and the verdicts are not tuned to agree.");
    }

    public static void Print(TextWriter stdout, IEnumerable<Claim> claims)
    {
        foreach (var claim in claims) stdout.WriteLine($"{claim.Verdict}: {claim.Statement} ({claim.Ours})");
    }
}
