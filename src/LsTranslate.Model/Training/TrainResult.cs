using LsTranslate.Model.Transformer;
namespace LsTranslate.Model.Training;

/// <summary>What a run reached: where training stopped, its last dev scores, and how many pairs it trained on and skipped as too long.</summary>
public sealed record TrainResult(TrainingProgress Progress, TeacherForcedScores? LastValidation, int TrainPairs, int SkippedTooLong);
