namespace PatternQuality.Online.Internal;

/// <summary>
/// The mutable learning state of <see cref="OnlineLogisticRegression"/>: weights, AdaGrad accumulators and running
/// numeric moments. An update works on a clone and commits it only when the whole batch succeeded, so a bad row or a
/// cancellation never leaves a half-learned state behind.
/// </summary>
internal sealed class LogisticState
{
    public LogisticState(LinearFeatureLayout layout)
    {
        Layout = layout;
        Weights = new double[layout.Dimension];
        GradSquares = new double[layout.Dimension];
        Counts = new double[layout.NumericCount];
        Means = new double[layout.NumericCount];
        M2 = new double[layout.NumericCount];
        InverseStds = new double[layout.NumericCount];
        Array.Fill(InverseStds, 1.0);
    }

    private LogisticState(LogisticState other)
    {
        Layout = other.Layout;
        Weights = (double[])other.Weights.Clone();
        GradSquares = (double[])other.GradSquares.Clone();
        Counts = (double[])other.Counts.Clone();
        Means = (double[])other.Means.Clone();
        M2 = (double[])other.M2.Clone();
        InverseStds = (double[])other.InverseStds.Clone();
        ExamplesSeen = other.ExamplesSeen;
    }

    public LinearFeatureLayout Layout { get; }

    public double[] Weights { get; }

    public double[] GradSquares { get; }

    public double[] Counts { get; }

    public double[] Means { get; }

    public double[] M2 { get; }

    public double[] InverseStds { get; }

    public long ExamplesSeen { get; set; }

    public LogisticState Clone() => new(this);

    /// <summary>Folds one row's numeric values into the running moments (Welford's update, stable for long streams).</summary>
    public void ObserveMoments(ReadOnlySpan<float> row)
    {
        for (var j = 0; j < row.Length; j++)
        {
            var s = Layout.NumericIndex(j);
            var x = row[j];
            if (s < 0 || !float.IsFinite(x))
            {
                continue;
            }

            var n = ++Counts[s];
            var d = x - Means[s];
            Means[s] += d / n;
            M2[s] += d * (x - Means[s]);
            var variance = n > 1 ? M2[s] / n : 0;

            // A constant (or not yet varying) feature keeps scale 1: its centred value is 0 anyway.
            InverseStds[s] = variance > 1e-18 ? 1 / Math.Sqrt(variance) : 1;
        }
    }
}
