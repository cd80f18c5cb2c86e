using System.Text;

namespace LsTranslate.Cli.Output;

/// <summary>
/// A table as Python's tabulate draws it with tablefmt "fancy_grid", the first column right-aligned and the others
/// centred (sacreBLEU's paired-test table): a column is as wide as its widest line, and at least its header plus two;
/// a cell may hold several lines; one space pads each side of a cell; an odd leftover space goes to the right. Widths
/// count code points, as tabulate does without the wcwidth package (sacreBLEU does not require it).
/// </summary>
static class FancyGridTable
{
    public static string Draw(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = headers.Select((header, c) => Math.Max(Width(header) + 2, rows.Max(row => row[c].Split('\n').Max(Width)))).ToArray();
        string Rule(char left, char fill, char cross, char right) =>
            left + string.Join(cross, widths.Select(w => new string(fill, w + 2))) + right + "\n";
        string Line(IReadOnlyList<string> cells) =>
            "│" + string.Join("│", cells.Select((cell, c) => " " + Aligned(cell, widths[c], c == 0) + " ")) + "│\n";
        string Row(IReadOnlyList<string> cells)
        {
            var lines = cells.Select(cell => cell.Split('\n')).ToArray();
            int height = lines.Max(l => l.Length);
            return string.Concat(Enumerable.Range(0, height).Select(i => Line(lines.Select(l => i < l.Length ? l[i] : "").ToArray())));
        }
        var table = new StringBuilder(Rule('╒', '═', '╤', '╕')).Append(Row(headers)).Append(Rule('╞', '═', '╪', '╡'));
        for (int r = 0; r < rows.Count; r++) table.Append(Row(rows[r])).Append(r < rows.Count - 1 ? Rule('├', '─', '┼', '┤') : Rule('╘', '═', '╧', '╛'));
        return table.ToString();
    }

    static int Width(string text) => text.EnumerateRunes().Count();

    static string Aligned(string text, int width, bool right)
    {
        int space = width - Width(text);
        return right ? new string(' ', space) + text : new string(' ', space / 2) + text + new string(' ', space - space / 2);
    }
}
