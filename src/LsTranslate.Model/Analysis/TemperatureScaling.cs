using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Analysis;

/// <summary>
/// Temperature scaling (Guo et al. 2017): logits are divided by one scalar T fitted on held-out data
/// by minimising the negative log-likelihood.
/// </summary>
public static class TemperatureScaling
{
    const double MinTemperature = 0.05;
    const double MaxTemperature = 20.0;

    /// <summary>Mean NLL of softmax(logits/T) at the gold labels; logits [N,K], labels [N] int64.</summary>
    public static double Nll(Tensor logits, Tensor labels, double temperature)
    {
        if (temperature <= 0) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var scaled = logits.detach().to(float64) / temperature;
        return nn.functional.cross_entropy(scaled, labels.to(scaled.device)).item<double>();
    }

    /// <summary>
    /// The T in [0.05, 20] minimising NLL. NLL is unimodal in log T for fixed logits (convex in 1/T),
    /// so a golden-section search on log T finds it without gradients or a learning rate.
    /// </summary>
    public static double Fit(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var cached = logits.detach().to(float64);
        double Objective(double logT) => Nll(cached, labels, Math.Exp(logT));

        double invPhi = (Math.Sqrt(5) - 1) / 2;
        double a = Math.Log(MinTemperature), b = Math.Log(MaxTemperature);
        double c = b - invPhi * (b - a), d = a + invPhi * (b - a);
        double fc = Objective(c), fd = Objective(d);
        while (b - a > 1e-6)
        {
            if (fc < fd) { b = d; d = c; fd = fc; c = b - invPhi * (b - a); fc = Objective(c); }
            else { a = c; c = d; fc = fd; d = a + invPhi * (b - a); fd = Objective(d); }
        }
        return Math.Exp((a + b) / 2);
    }
}
