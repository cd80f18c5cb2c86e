namespace LsTranslate.Model.Runs;

/// <summary>
/// When a network has finished learning, for translation and vision alike: validation accuracy gained less than
/// <see cref="Gain"/> (0.5 points) over the last <see cref="Window"/> (25 %) of its training, measured from the last
/// validation at or before 75 % of the final one (updates for translation, epochs for vision) to the final one.
/// </summary>
public static class ConvergenceRule
{
    public const double Gain = 0.005;
    public const double Window = 0.25;

    /// <summary>The last point at or before 75 % of the final point's position: where the window starts.</summary>
    public static T? WindowStart<T>(IReadOnlyList<T> points, Func<T, double> position) where T : class =>
        points.Count == 0 ? null : points.LastOrDefault(p => position(p) <= position(points[^1]) * (1 - Window));

    /// <summary>Accuracy gained over the window (a fraction); null when the curve is too short to say.</summary>
    public static double? FinalGain<T>(IReadOnlyList<T> points, Func<T, double> position, Func<T, double> accuracy) where T : class =>
        points.Count > 0 && WindowStart(points, position) is { } start ? accuracy(points[^1]) - accuracy(start) : null;

    public static bool Converged(double? finalGain) => finalGain is { } gain && gain < Gain;
}
