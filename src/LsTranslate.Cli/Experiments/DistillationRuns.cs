using LsTranslate.Cli.Reports;
using LsTranslate.Model;
using LsTranslate.Model.Analysis;
using LsTranslate.Model.Vision;
using TorchSharp;

namespace LsTranslate.Cli.Experiments;

/// <summary>Test accuracy, NLL and ECE of one model.</summary>
public sealed record TestScore(double Accuracy, double Nll, double Ece)
{
    public static TestScore Of(CalibrationSummary summary) => new(summary.Accuracy, summary.Nll, summary.Ece);

    public override string ToString() => $"accuracy {Accuracy:0.0000}  nll {Nll:0.0000}  ece {Ece:0.0000}";
}

/// <summary>distillation.json in a student's model directory: how it was taught and how it and its teacher score.</summary>
public sealed record DistillationRecord(string Teacher, string TeacherArch, double TeacherLabelSmoothing, double Temperature, double Beta,
    double Gamma, TestScore TeacherTest, TestScore StudentTest);

/// <summary>The steps shared by `distill` and `reproduce distillation`.</summary>
public static class DistillationRuns
{
    public const string RecordFile = "distillation.json";

    /// <summary>
    /// Trains a student (options.Arch) on the teacher's soft targets through the vision training loop, after
    /// checking that the teacher fits the student's data. The teacher is frozen and left in evaluation mode; its soft
    /// targets are computed in the training precision too, since its forward pass is part of every step.
    /// </summary>
    public static ImageClassifier Distill(ImageClassifier teacher, string teacherName, VisionTrainOptions studentOptions, VisionData data,
        double beta, double temperature, string outDir, torch.Device device, Precision precision, TextWriter log, bool overwrite = false)
    {
        VisionDistillation.CheckTeacher(teacher, VisionModelDirectory.ImageShape, data.Train, teacherName);
        var loss = VisionDistillation.Loss(teacher, beta, temperature);
        using var teacherPrecision = teacher.InPrecision(precision);
        return VisionRuns.Train(studentOptions, data, outDir, device, precision, log, loss, $"distilled from {teacherName} at T = {temperature}, β = {beta}", overwrite: overwrite);
    }

    /// <summary>Test scores of a model (accuracy, NLL and ECE before temperature scaling).</summary>
    public static TestScore Score(ImageClassifier model, VisionData data, torch.Device device) =>
        TestScore.Of(VisionRuns.Measure(model, data, device));

    public static void WriteRecord(string studentDir, DistillationRecord record) =>
        ReportFiles.WriteJson(Path.Combine(studentDir, RecordFile), record);
}
