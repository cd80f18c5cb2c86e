namespace LsTranslate.Metrics;

/// <summary>
/// numpy's sum and mean of a float64 array (<c>np.add.reduce</c>): the array taken 8,192 values at a time (numpy's
/// buffer), each piece summed pairwise (halves down to blocks of up to 128, eight running sums inside a block) and the
/// pieces added in order, so that a mean sacreBLEU takes with numpy rounds exactly as it does there (checked against
/// numpy 1.24 up to 300,000 values).
/// </summary>
public static class NumpySum
{
    const int BlockSize = 128;
    const int BufferSize = 8192;

    public static double Mean(ReadOnlySpan<double> values) => Sum(values) / values.Length;

    public static double Sum(ReadOnlySpan<double> values)
    {
        double sum = 0.0;
        for (int start = 0; start < values.Length; start += BufferSize)
            sum += Pairwise(values.Slice(start, Math.Min(BufferSize, values.Length - start)));
        return sum;
    }

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
