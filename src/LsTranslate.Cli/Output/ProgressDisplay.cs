using Spectre.Console;
using LsTranslate.Model;

namespace LsTranslate.Cli.Output;

/// <summary>
/// A live progress bar (Spectre.Console: task, bar, percentage, elapsed, ETA) on stderr when stderr is a terminal;
/// the log lines then print above it. When stderr is not a terminal (CI, a file, a test's writer), the work gets
/// <see cref="WorkProgress.None"/> and the log writer unchanged: the plain lines of before. stdout is never touched.
/// </summary>
static class ProgressDisplay
{
    public static T Run<T>(TextWriter stderr, Func<IWorkProgress, TextWriter, T> work)
    {
        if (!ReferenceEquals(stderr, Console.Error) || Console.IsErrorRedirected || Environment.GetEnvironmentVariable("TERM") is null or "dumb")
            return work(WorkProgress.None, stderr);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context => work(new Bars(context), new LinesAbove(console)));
    }

    sealed class Bars(ProgressContext context) : IWorkProgress
    {
        readonly Dictionary<string, ProgressTask> tasks = [];

        public bool Visible => true;

        public void Report(string task, double done, double? total, string status = "")
        {
            if (!tasks.TryGetValue(task, out var bar))
                tasks[task] = bar = context.AddTask(task, maxValue: total ?? 1);
            bar.IsIndeterminate = total is null;
            if (total is { } max) bar.MaxValue = Math.Max(max, 1);
            bar.Value = total is null ? 0 : Math.Min(done, bar.MaxValue);
            bar.Description = Markup.Escape(total is null ? $"{task} {done:N0} {status}" : $"{task} {done:N0}/{total:N0} {status}").TrimEnd();
        }
    }

    /// <summary>A writer whose lines Spectre prints above the live bars instead of through them.</summary>
    sealed class LinesAbove(IAnsiConsole console) : TextWriter
    {
        readonly System.Text.StringBuilder line = new();

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value)
        {
            if (value == '\n') Flush();
            else if (value != '\r') line.Append(value);
        }

        public override void Flush()
        {
            if (line.Length == 0) return;
            console.Write(new Text(line.ToString() + "\n"));
            line.Clear();
        }
    }
}
