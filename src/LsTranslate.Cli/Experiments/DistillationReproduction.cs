using LsTranslate.Cli.Reports;
using LsTranslate.Model;
using LsTranslate.Vision;
using TorchSharp;
using LsTranslate.Model.Runs;

namespace LsTranslate.Cli.Experiments;

/// <summary>A network of the reproduction: its learning curve, and the test scores of its final weights.</summary>
public interface IDistillationNetwork : ILearnedNetwork
{
    TestScore Test { get; }
}

public sealed record TeacherResult(double Alpha, TestScore Test, VisionLearningCurve Learning, string ModelDir) : IDistillationNetwork
{
    public string Label => $"teacher α = {Alpha}";
}

public sealed record StudentResult(double TeacherAlpha, double Temperature, double Gamma, TestScore Test, VisionLearningCurve Learning, string ModelDir)
    : IDistillationNetwork
{
    public string Label => $"student of α = {TeacherAlpha}, T = {Temperature}";
}

/// <summary>A student-sized network trained alone with label smoothing α (γ = α by construction).</summary>
public sealed record BaselineResult(double Alpha, TestScore Test, VisionLearningCurve Learning, string ModelDir) : IDistillationNetwork
{
    public string Label => $"alone, α = {Alpha}";
}

/// <summary>The mutual-information curve of one teacher-sized network trained with label smoothing α.</summary>
public sealed record MutualInformationResult(double Alpha, long Examples, int Copies, IReadOnlyList<int> Classes,
    IReadOnlyList<MutualInformationPoint> Points, TestScore Test)
{
    public double LogN => Math.Log(Examples);

    /// <summary>Mean over the last third of the measurements (at least one): "late in training".</summary>
    public double LateMean => Points.Count == 0 ? double.NaN : Points.TakeLast(Math.Max(1, Points.Count / 3)).Average(p => p.Nats);
}

/// <param name="Curves">per family (teachers, distilled students, students alone): train loss, validation NLL and accuracy against epochs.</param>
public sealed record DistillationPlots(string StudentAccuracy, string TeacherAccuracy, string MutualInformation, IReadOnlyList<string> Curves);

/// <param name="Precision">of training, as requested (each network's curve says what its epochs ran in); measurements are fp32.</param>
public sealed record DistillationReproductionResult(DistillationScale Scale, string Precision, string Dataset, long TrainImages, long TestImages,
    IReadOnlyList<TeacherResult> Teachers, IReadOnlyList<StudentResult> Students, IReadOnlyList<BaselineResult> Baselines,
    IReadOnlyList<MutualInformationResult> MutualInformation, IReadOnlyList<Claim> Claims, DistillationPlots Plots,
    double TrainingSeconds, double Seconds);

/// <summary>
/// The paper's Section 5 at a chosen scale: teachers with label smoothing α (the α ∈ MiAlphas runs also
/// measure the mutual information every k steps), a student distilled from each teacher at each T, and
/// students trained alone with label smoothing α; then report.md, results.json and PNGs, claims checked on our numbers.
/// Every network lives in its own directory under runs/: a rerun reuses the finished ones and resumes the unfinished one.
/// </summary>
public static class DistillationReproduction
{
    /// <summary>Where a probed teacher's directory keeps its mutual-information curve, so a resumed or reused teacher keeps it.</summary>
    public const string MutualInformationFile = "mutual-information.json";

    public static DistillationReproductionResult Run(DistillationScale scale, string? dataDir, RunSettings settings, string outDir, TextWriter log,
        IWorkProgress? workProgress = null)
    {
        var (device, precision) = (settings.TorchDevice, settings.ResolvedPrecision);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var common = new VisionTrainOptions
        {
            DataDir = dataDir, Optimizer = scale.Optimizer, BatchSize = scale.BatchSize, TrainLimit = scale.TrainLimit, TestLimit = scale.TestLimit, Validation = scale.Validation,
        };
        var teacherOptions = (common with { Arch = scale.TeacherArch, Epochs = scale.TeacherEpochs }).Validated();
        var studentOptions = (common with { Arch = scale.StudentArch, Epochs = scale.StudentEpochs }).Validated();
        using var data = VisionData.Load(common);
        string RunDir(string name) => Path.Combine(outDir, "runs", name);
        var networks = new List<string>();

        var teachers = new List<TeacherResult>();
        var students = new List<StudentResult>();
        var information = new List<MutualInformationResult>();
        foreach (var alpha in scale.TeacherAlphas.Union(scale.MiAlphas).Order())
        {
            var name = $"teacher-ls{alpha:0.###}";
            var teacherDir = RunDir(name);
            using var probe = scale.MiAlphas.Contains(alpha)
                ? new MutualInformationProbe(data.Train, scale.MiClasses[0], scale.MiClasses[1], scale.MiPerClass, scale.MiCopies, scale.MiEvery,
                    teacherOptions.CropPadding, device, seed: 7, pointsFile: Path.Combine(teacherDir, MutualInformationFile))
                : null;
            using var teacher = VisionTrainer.Run(new VisionTrainRequest(teacherOptions with { LabelSmoothing = alpha }, data, teacherDir, settings, AfterStep: probe is null ? null : probe.AfterStep), log, workProgress);
            networks.Add(teacherDir);
            var score = TestScore.Measure(teacher, data, device);
            log.WriteLine($"  {name}: test {score}");
            if (probe is not null)
                information.Add(new MutualInformationResult(alpha, probe.Examples, scale.MiCopies, scale.MiClasses, probe.Points, score));
            if (!scale.TeacherAlphas.Contains(alpha)) continue;
            teachers.Add(new TeacherResult(alpha, score, VisionLearningCurve.Read(teacherDir), teacherDir));
            foreach (var temperature in alpha == 0 ? scale.Temperatures : scale.SmoothedTemperatures)
            {
                var studentName = $"student-of-ls{alpha:0.###}-T{temperature:0.###}";
                var studentDir = RunDir(studentName);
                double gamma = VisionDistillation.Gamma(teacher, data.Train, temperature, device);
                using var student = VisionDistillation.Distill(teacher, name, studentOptions, data, scale.Beta, temperature, studentDir, settings, log, workProgress: workProgress);
                networks.Add(studentDir);
                var studentScore = TestScore.Measure(student, data, device);
                new DistillationRecord(teacherDir, scale.TeacherArch, alpha, temperature, scale.Beta, gamma, score, studentScore)
                    .WriteTo(new VisionModelDirectory(studentDir));
                log.WriteLine($"  {studentName}: γ {gamma:0.0000}  test {studentScore}");
                students.Add(new StudentResult(alpha, temperature, gamma, studentScore, VisionLearningCurve.Read(studentDir), studentDir));
            }
        }

        var baselines = new List<BaselineResult>();
        foreach (var alpha in scale.TeacherAlphas)
        {
            var name = $"alone-ls{alpha:0.###}";
            var modelDir = RunDir(name);
            using var model = VisionTrainer.Run(new VisionTrainRequest(studentOptions with { LabelSmoothing = alpha }, data, modelDir, settings), log, workProgress);
            networks.Add(modelDir);
            var score = TestScore.Measure(model, data, device);
            log.WriteLine($"  {name}: test {score}");
            baselines.Add(new BaselineResult(alpha, score, VisionLearningCurve.Read(modelDir), modelDir));
        }

        var plots = DistillationFigures.Draw(outDir, scale, teachers, students, baselines, information);
        var result = new DistillationReproductionResult(scale, precision.Name(), common.Dataset, data.Train.Count, data.Test.Count, teachers, students, baselines,
            information, DistillationClaims.Check(teachers, students, baselines, information, data.Test.Count), plots,
            VisionModelDirectory.TrainingSeconds(networks), clock.Elapsed.TotalSeconds);
        ReportFiles.WriteJson(Path.Combine(outDir, "results.json"), result);
        ReportFiles.WriteText(Path.Combine(outDir, "report.md"), DistillationReport.Markdown(result, outDir));
        return result;
    }
}
