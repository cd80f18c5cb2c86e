using LsTranslate.Model;
using LsTranslate.Model.Analysis;
using LsTranslate.Model.Losses;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.Runs;

namespace LsTranslate.Vision;

/// <summary>Test accuracy, NLL and ECE of one model (before temperature scaling).</summary>
public sealed record TestScore(double Accuracy, double Nll, double Ece)
{
    /// <summary>Test scores of a model on the data's test split (the test logits alone: no temperature is fitted).</summary>
    public static TestScore Measure(ImageClassifier model, VisionData data, Device device)
    {
        using var logits = VisionEvaluation.Logits(model, data.Test, device);
        var reliability = new ReliabilityAccumulator();
        reliability.Add(logits, data.Test.Labels, 1.0);
        return new(reliability.Accuracy, TemperatureScaling.Nll(logits, data.Test.Labels, 1.0), reliability.Ece);
    }

    public override string ToString() => $"accuracy {Accuracy:0.0000}  nll {Nll:0.0000}  ece {Ece:0.0000}";
}

/// <summary>distillation.json in a student's run directory: how it was taught and how it and its teacher score.</summary>
public sealed record DistillationRecord(string Teacher, string TeacherArch, double TeacherLabelSmoothing, double Temperature, double Beta,
    double Gamma, TestScore TeacherTest, TestScore StudentTest)
{
    public const string FileName = "distillation.json";

    public void WriteTo(VisionModelDirectory student) => student.WriteJson(student.File(FileName), this);
}

/// <summary>Distils a trained teacher into a student through <see cref="VisionTrainer"/>.</summary>
public static class VisionDistillation
{
    /// <summary>
    /// Trains a student (studentOptions.Arch) on the teacher's soft targets through <see cref="VisionTrainer.Run"/>, after
    /// checking that the teacher fits the student's data. The teacher is frozen and left in evaluation mode; its soft
    /// targets are computed in the training precision too, since its forward pass is part of every step.
    /// </summary>
    public static ImageClassifier Distill(ImageClassifier teacher, string teacherName, VisionTrainOptions studentOptions, VisionData data,
        double beta, double temperature, string outDir, RunSettings settings, TextWriter log, bool overwrite = false,
        IWorkProgress? workProgress = null)
    {
        CheckTeacher(teacher, VisionModelDirectory.ImageShape, data.Train, teacherName);
        var loss = Loss(teacher, beta, temperature);
        using var teacherPrecision = teacher.InPrecision(settings.ResolvedPrecision);
        return VisionTrainer.Run(new VisionTrainRequest(studentOptions, data, outDir, settings, loss,
            $"distilled from {teacherName} at T = {temperature}, β = {beta}", Overwrite: overwrite), log, workProgress);
    }

    /// <summary>
    /// Rejects a teacher that cannot label the student's data: a different number of classes, or images of
    /// another shape (channels × height × width) than the teacher was built for.
    /// </summary>
    public static void CheckTeacher(ImageClassifier teacher, IReadOnlyList<long> teacherImageShape, ImageDataset studentData, string teacherName)
    {
        long teacherClasses = teacher.Head.weight!.shape[0];
        if (teacherClasses != studentData.Info.Classes)
            throw new InputError($"--teacher {teacherName}: the teacher predicts {teacherClasses} classes but the student's data ({studentData.Info.Name}) has {studentData.Info.Classes}");
        var studentShape = studentData.Pixels.shape.Skip(1).ToArray();
        if (!studentShape.SequenceEqual(teacherImageShape))
            throw new InputError($"--teacher {teacherName}: the teacher takes {string.Join("×", teacherImageShape)} images but the student's data has {string.Join("×", studentShape)}");
    }

    /// <summary>
    /// The distillation objective for <see cref="VisionTrainer.Train"/>: the teacher, frozen and in evaluation
    /// mode, labels the same augmented images the student sees. β and T are validated here (InputError).
    /// </summary>
    public static VisionLoss Loss(ImageClassifier teacher, double beta, double temperature)
    {
        DistillationLoss.Validate(beta, temperature);
        Freeze(teacher);
        return (images, logits, labels) =>
        {
            Tensor teacherLogits;
            using (no_grad()) teacherLogits = teacher.forward(images);
            return DistillationLoss.Compute(logits, teacherLogits, labels, beta, temperature);
        };
    }

    /// <summary>γ of the teacher at temperature T over a dataset (unaugmented), see <see cref="EquivalentSmoothing"/>.</summary>
    public static double Gamma(ImageClassifier teacher, ImageDataset data, double temperature, Device device)
    {
        using var logits = VisionEvaluation.Logits(teacher, data, device);
        return EquivalentSmoothing.Gamma(logits, data.Labels, temperature);
    }

    static void Freeze(ImageClassifier teacher)
    {
        teacher.eval();
        foreach (var parameter in teacher.parameters()) parameter.requires_grad = false;
    }
}
