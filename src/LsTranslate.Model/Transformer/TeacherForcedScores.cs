namespace LsTranslate.Model.Transformer;

/// <summary>Plain (never smoothed) token-level NLL and accuracy of a model with the gold prefix (<see cref="TeacherForcing"/>): sums over the target tokens.</summary>
public sealed record TeacherForcedScores(double NllSum, long Tokens, long Correct)
{
    public double Nll => NllSum / Math.Max(Tokens, 1);
    public double Perplexity => Math.Exp(Nll);
    public double Accuracy => (double)Correct / Math.Max(Tokens, 1);
}
