using System.CommandLine;
using LsTranslate.Cli.Experiments;
using LsTranslate.Model;
using LsTranslate.Model.IO;
using LsTranslate.Model.Training;

namespace LsTranslate.Cli.Commands;

/// <summary>`lstranslate train-job FILE` (hidden): one model of a side-by-side training (<see cref="SideBySideTraining"/>), its log on stderr.</summary>
static class TrainJobCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The job (JSON) the parent process wrote" };
        var command = new Command("train-job", "Train one model of a side-by-side training from the job file its parent wrote.") { file };
        command.Hidden = true;
        command.SetAction(parsed =>
        {
            var path = parsed.GetValue(file)!;
            var job = Json.Deserialize<TrainJob>(File.ReadAllText(path)) ?? throw InputError.At(path, 0, "empty train job");
            Trainer.Run(job.ToRequest(), parsed.InvocationConfiguration.Error);
            return 0;
        });
        return command;
    }
}
