namespace LsTranslate.Metrics;

/// <summary>
/// numpy's sum and mean of a float64 array (<c>np.add.reduce</c>: pairwise summation in blocks of up to 128, eight
/// running sums inside a block), so that a mean sacreBLEU takes with numpy rounds exactly as it does there.
/// </summary>
public static class NumpySum
{
    const int BlockSize = 128;

    public static double Mean(ReadOnlySpan<double> values) => Sum(values) / values.Length;

    public static double Sum(ReadOnlySpan<double> values) => 0.0 + Pairwise(values);

    static double Pairwise(ReadOnlySpan<double> values)
    {
        int n = values.Length;
        if (n < 8)
        {
            double sum = 0;
            foreach (var value in values) sum += value;
            return sum;
        }
        if (n <= BlockSize)
        {
            Span<double> lanes = stackalloc double[8];
            values[..8].CopyTo(lanes);
            int i = 8;
            for (; i < n - n % 8; i += 8)
                for (int j = 0; j < 8; j++) lanes[j] += values[i + j];
            double sum = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
            for (; i < n; i++) sum += values[i];
            return sum;
        }
        int half = n / 2;
        half -= half % 8;
        return Pairwise(values[..half]) + Pairwise(values[half..]);
    }
}
