using LsTranslate.Decode.Evaluation;

namespace LsTranslate.Cli.Experiments;

/// <summary>
/// The paper's distillation claims (Section 5, Figures 6 and 7), each judged by EvidenceRule from our numbers. With one
/// seed per network, the spread of an accuracy difference is two standard errors of a difference of two accuracies on
/// the test set; that of a difference of mutual information, the late measurements' standard deviations added.
/// Where a claim speaks for the best of several networks, that one is chosen by convergence and validation accuracy,
/// never by the test score the claim is judged on.
/// </summary>
public static class DistillationClaims
{
    /// <summary>Accuracy <paramref name="a"/> − <paramref name="b"/> on <paramref name="testImages"/> images, ± 2 standard errors.</summary>
    public static Interval AccuracyDifference(double a, double b, long testImages) =>
        EvidenceRule.Around(a - b, 2 * Math.Sqrt((a * (1 - a) + b * (1 - b)) / Math.Max(1, testImages)));

    /// <summary>A finished network before an unfinished one, then the highest final validation accuracy.</summary>
    static T? Chosen<T>(IEnumerable<T> networks) where T : class, IDistillationNetwork => networks
        .OrderByDescending(n => n.Learning.Converged)
        .ThenByDescending(n => n.Learning.Final?.ValidationAccuracy ?? double.NegativeInfinity)
        .FirstOrDefault();

    public static IReadOnlyList<Claim> Check(IReadOnlyList<TeacherResult> teachers, IReadOnlyList<StudentResult> students,
        IReadOnlyList<BaselineResult> baselines, IReadOnlyList<MutualInformationResult> information, long testImages)
    {
        var claims = new List<Claim>();
        var plain = teachers.FirstOrDefault(t => t.Alpha == 0);
        var smoothed = Chosen(teachers.Where(t => t.Alpha > 0));
        var plainStudent = Chosen(students.Where(s => s.TeacherAlpha == 0));
        var smoothedStudent = Chosen(students.Where(s => s.TeacherAlpha > 0));
        var baseline = Chosen(baselines);
        Claim Accuracy(string statement, string paper, string ours, double a, double b)
        {
            var difference = AccuracyDifference(a, b, testImages);
            return new(statement, paper, $"{ours}: {Claims.MeanSpread(difference)}", EvidenceRule.Above(difference));
        }

        if (plain is not null && smoothed is not null)
            claims.Add(Accuracy("A label-smoothed teacher is more accurate than the unsmoothed one", "Figure 6, teachers",
                $"teacher accuracy {plain.Test.Accuracy:0.0000} (α = 0) vs {smoothed.Test.Accuracy:0.0000} (α = {smoothed.Alpha}, the smoothed teacher chosen)",
                smoothed.Test.Accuracy, plain.Test.Accuracy));
        if (plainStudent is not null && smoothedStudent is not null)
            claims.Add(Accuracy("A label-smoothed teacher distils worse: the best student of the α = 0 teacher beats the best student of any smoothed teacher", "Figure 6",
                $"student accuracy {plainStudent.Test.Accuracy:0.0000} (teacher α = 0, T = {plainStudent.Temperature}) vs " +
                $"{smoothedStudent.Test.Accuracy:0.0000} (teacher α = {smoothedStudent.TeacherAlpha}, T = {smoothedStudent.Temperature})",
                plainStudent.Test.Accuracy, smoothedStudent.Test.Accuracy));
        if (plainStudent is not null && baseline is not null)
            claims.Add(Accuracy("Students of the unsmoothed teacher beat students trained alone with label smoothing", "Figure 6",
                $"student accuracy {plainStudent.Test.Accuracy:0.0000} (teacher α = 0, T = {plainStudent.Temperature}) vs " +
                $"{baseline.Test.Accuracy:0.0000} (no teacher, α = {baseline.Alpha}, the one chosen)",
                plainStudent.Test.Accuracy, baseline.Test.Accuracy));

        var plainInformation = information.FirstOrDefault(m => m.Alpha == 0);
        var smoothedInformation = information.Where(m => m.Alpha > 0).MinBy(m => m.Alpha);
        if (plainInformation is { Points.Count: > 0 } && smoothedInformation is { Points.Count: > 0 })
        {
            var difference = EvidenceRule.Around(smoothedInformation.LateMean - plainInformation.LateMean,
                LateSpread(smoothedInformation) + LateSpread(plainInformation));
            claims.Add(new("Label smoothing lowers the mutual information between example and logits late in training", "Figure 7",
                $"mean I over the last third of measurements {plainInformation.LateMean:0.0000} nats (α = 0) vs " +
                $"{smoothedInformation.LateMean:0.0000} (α = {smoothedInformation.Alpha}): {Claims.MeanSpread(difference)}; " +
                $"log N = {plainInformation.LogN:0.0000}, log 2 = {Math.Log(2):0.0000}",
                EvidenceRule.Below(difference)));
        }
        return claims;
    }

    /// <summary>The standard deviation of the measurements LateMean averages.</summary>
    static double LateSpread(MutualInformationResult m) =>
        MeanStd.Of(m.Points.TakeLast(Math.Max(1, m.Points.Count / 3)).Select(p => p.Nats)).Std;
}
