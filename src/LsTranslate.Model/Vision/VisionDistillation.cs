using LsTranslate.Model.Analysis;
using LsTranslate.Model.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Vision;

/// <summary>Distils a trained teacher into a student through <see cref="VisionTrainer"/>.</summary>
public static class VisionDistillation
{
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
