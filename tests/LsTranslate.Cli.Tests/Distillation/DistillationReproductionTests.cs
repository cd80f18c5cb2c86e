using LsTranslate.Model;
using System.Text.Json;
using LsTranslate.Cli.Experiments;
using LsTranslate.Vision.Tests;
using LsTranslate.Vision;
using TorchSharp;
using LsTranslate.Model.Runs;

namespace LsTranslate.Cli.Tests.Distillation;

public class DistillationReproductionTests
{
    static readonly TestScore Any = new(0.5, 1, 0.1);

    static TestScore Accuracy(double accuracy) => Any with { Accuracy = accuracy };

    /// <summary>A finished curve of four epochs ending at this validation accuracy.</summary>
    static VisionLearningCurve Validated(double accuracy) =>
        new(Enumerable.Range(1, 4).Select(e => new VisionEpochLog(e, 0.001, 0.3, 0.3, 0.9, accuracy, 0.3, 10, 100)).ToList());

    static TeacherResult Teacher(double alpha, double accuracy) => new(alpha, Accuracy(accuracy), Validated(accuracy), "");

    static StudentResult Student(double alpha, double t, double gamma, double accuracy) => new(alpha, t, gamma, Accuracy(accuracy), Validated(accuracy), "");

    static BaselineResult Alone(double alpha, double accuracy) => new(alpha, Accuracy(accuracy), Validated(accuracy), "");

    static MutualInformationResult Information(double alpha, params double[] nats) =>
        new(alpha, 20, 5, [0, 2], nats.Select((n, i) => new MutualInformationPoint(10 * (i + 1), n)).ToList(), Any);

    [Fact]
    public void ClaimsFollowTheNumbers()
    {
        TeacherResult[] teachers = [Teacher(0, 0.90), Teacher(0.3, 0.91)];
        StudentResult[] students = [Student(0, 1, 0.05, 0.86), Student(0, 4, 0.4, 0.88), Student(0.3, 1, 0.3, 0.84)];
        BaselineResult[] baselines = [Alone(0, 0.85), Alone(0.3, 0.86)];
        var claims = DistillationClaims.Check(teachers, students, baselines, [Information(0, 2, 2.5, 2.9), Information(0.1, 2, 2.0, 1.1)],
            testImages: 1_000_000);
        Assert.Equal(4, claims.Count);
        Assert.All(claims, c => Assert.True(c.Shown, c.Statement));
        Assert.Contains("0.8800 (teacher α = 0, T = 4)", claims[1].Ours);

        // The network a claim speaks for is chosen by validation accuracy (finished ones first), never by its test score.
        StudentResult[] chosenByValidation = [new(0, 1, 0.05, Accuracy(0.90), Validated(0.80), ""), Student(0, 4, 0.4, 0.86)];
        var byValidation = DistillationClaims.Check(teachers, chosenByValidation, baselines, [], testImages: 1_000_000);
        Assert.Contains("0.8600 (teacher α = 0, T = 4)", byValidation[1].Ours);

        TeacherResult[] worseSmoothed = [Teacher(0, 0.90), Teacher(0.3, 0.89)];
        StudentResult[] betterSmoothedStudent = [Student(0, 1, 0.05, 0.84), Student(0.3, 1, 0.3, 0.87)];
        BaselineResult[] strongBaseline = [Alone(0.3, 0.95)];
        var reversed = DistillationClaims.Check(worseSmoothed, betterSmoothedStudent, strongBaseline,
            [Information(0, 1, 1), Information(0.1, 3, 3)], testImages: 1_000_000);
        Assert.All(reversed, c => Assert.Equal(Evidence.Opposite, c.Evidence));

        // The same numbers on 1000 test images: the teachers' 1 point is within noise (2 standard errors ≈ 2.6 points),
        // the students' 4 points are not.
        var noisy = DistillationClaims.Check(teachers, students, baselines, [], testImages: 1000);
        Assert.Equal(Evidence.WithinNoise, noisy[0].Evidence);
        Assert.Contains("difference +0.0100 ± 0.0262", noisy[0].Ours);
        Assert.True(noisy[1].Shown);
    }

    [Fact]
    public void AccuracyDifferenceIsTwoStandardErrorsEachWay()
    {
        // 0.9 vs 0.8 on 400 images: SE = sqrt((0.09 + 0.16) / 400) = 0.025, so 0.1 ± 0.05.
        var difference = DistillationClaims.AccuracyDifference(0.9, 0.8, 400);
        Assert.Equal(0.05, difference.Low, 12);
        Assert.Equal(0.15, difference.High, 12);
    }

    [Fact]
    public void MutualInformationDifferencesWithinTheLateSpreadAreWithinNoise()
    {
        TeacherResult[] teachers = [Teacher(0, 0.90)];
        // Late thirds [2.0, 2.4] (mean 2.2, sd 0.283) and [1.8, 2.2] (2.0, 0.283): −0.2 ± 0.566 straddles zero.
        var noisy = DistillationClaims.Check(teachers, [], [], [Information(0, 1, 1, 1, 1, 2.0, 2.4), Information(0.1, 1, 1, 1, 1, 1.8, 2.2)], 1000);
        Assert.Equal(Evidence.WithinNoise, Assert.Single(noisy).Evidence);
        // Late thirds steady at 2.2 and 1.1: −1.1 ± 0, shown.
        var clear = DistillationClaims.Check(teachers, [], [], [Information(0, 1, 1, 1, 1, 2.2, 2.2), Information(0.1, 1, 1, 1, 1, 1.1, 1.1)], 1000);
        Assert.True(Assert.Single(clear).Shown);
    }

    [Fact]
    public void LateMeanIsTheLastThird()
    {
        Assert.Equal(2.5, Information(0, 9, 9, 9, 9, 2, 3).LateMean, 12);
        Assert.Equal(7.0, Information(0, 1, 7).LateMean, 12);
    }

    [Fact]
    public void TinyRunOnToyDataWritesReportResultsAndPlots()
    {
        using var files = new IdxTestFiles();
        files.WriteToyDataset(train: 120, test: 30);
        var outDir = Path.Combine(files.Directory, "report");
        var scale = new DistillationScale("test", "a test", "resnet8", "resnet8", "adam", 1, 1, 0, 40, 0,
            [0, 0.3], [1, 2], [1], 1, [0, 0.1], [0, 1], 8, 2, 2, BatchSize: 20);
        var result = DistillationReproduction.Run(scale, files.Directory, new RunSettings(Precision: "fp32"), outDir, TextWriter.Null);

        Assert.Equal(new[] { 0.0, 0.3 }, result.Teachers.Select(t => t.Alpha));
        Assert.Equal(3, result.Students.Count); // the plain teacher at both T, the smoothed one at T = 1
        Assert.All(result.Students, s => Assert.InRange(s.Gamma, 0, 1));
        Assert.Equal(2, result.Baselines.Count);
        Assert.Equal(new[] { 0.0, 0.1 }, result.MutualInformation.Select(m => m.Alpha));
        Assert.All(result.MutualInformation, m => Assert.Equal(new[] { 2, 4 }, m.Points.Select(p => p.Step))); // 80 images in batches of 20, every 2nd step
        Assert.Equal(4, result.Claims.Count);
        foreach (var png in new[] { result.Plots.StudentAccuracy, result.Plots.TeacherAccuracy, result.Plots.MutualInformation })
            Assert.True(new FileInfo(png).Length > 1000, png);
        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("## The paper's claims, checked on our numbers", report);
        Assert.Contains("![mutual information vs steps](mutual-information.png)", report);
        Assert.Contains("## Learning curves", report);
        Assert.Equal(9, result.Plots.Curves.Count); // three per family: teachers, distilled students, students alone
        Assert.All(result.Plots.Curves, png => Assert.True(new FileInfo(Path.Combine(outDir, png)).Length > 1000, png));
        Assert.Contains("| student of α = 0, T = 2 | fp32 | 1 |", report);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        Assert.Equal(3, json.RootElement.GetProperty("students").GetArrayLength());
        Assert.All(json.RootElement.GetProperty("teachers").EnumerateArray(), t => Assert.False(t.GetProperty("learning").GetProperty("converged").GetBoolean()));
        Assert.True(File.Exists(Path.Combine(outDir, "runs", "student-of-ls0.3-T1", DistillationRecord.FileName)));

        // A rerun trains nothing: every network is reused, the curves come back from the teachers' directories.
        var log = new StringWriter();
        var again = DistillationReproduction.Run(scale, files.Directory, new RunSettings(Precision: "fp32"), outDir, log);
        Assert.DoesNotContain("vision: training", log.ToString());
        Assert.Equal(3 + 3 + 2, log.ToString().Split("reusing the finished model").Length - 1);
        Assert.Equal(result.Students.Select(s => s.Test), again.Students.Select(s => s.Test));
        Assert.Equal(result.MutualInformation.SelectMany(m => m.Points), again.MutualInformation.SelectMany(m => m.Points));
    }
}
