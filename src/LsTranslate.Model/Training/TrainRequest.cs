using LsTranslate.Model.Runs;
using LsTranslate.Model.Corpora;

namespace LsTranslate.Model.Training;

/// <summary>What to train on and where; the recipe comes from the command line or, when resuming, from config.json.</summary>
/// <param name="Settings">device, threads and precision: always the request's, recorded in run.json.</param>
/// <param name="Resume">continue with the stored recipe, whatever the request's (only its budget applies).</param>
/// <param name="Overwrite">start over even where a checkpoint could be continued.</param>
/// <param name="SaveEvery">also write checkpoint.last every this many updates between validations (0: only at validations).</param>
/// <param name="SaveEveryMinutes">and whenever this many minutes passed since the last save (0: never by time).</param>
/// <param name="Languages">"SRC-TGT", recorded in config.json for servers and reports; not part of the recipe.</param>
public sealed record TrainRequest(CorpusSource Train, CorpusSource? Dev, string OutDir, TrainOptions Options, RunSettings Settings,
    string? SentencePieceModel = null, bool Resume = false, bool Overwrite = false, int SaveEvery = 0, double SaveEveryMinutes = TrainRequest.DefaultSaveEveryMinutes,
    string? Languages = null)
{
    public const double DefaultSaveEveryMinutes = 10;
}
