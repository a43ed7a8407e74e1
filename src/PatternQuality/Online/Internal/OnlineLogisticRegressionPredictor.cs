using PatternQuality.Features;
using PatternQuality.Learning;

namespace PatternQuality.Online.Internal;

/// <summary>
/// An immutable snapshot of an <see cref="OnlineLogisticRegression"/>: its own copies of the weights and the numeric
/// scaling, so scoring threads never see an update in progress.
/// </summary>
internal sealed class OnlineLogisticRegressionPredictor : IPredictor
{
    private const int StackLimit = 256;

    private readonly LinearFeatureLayout _layout;
    private readonly double[] _weights;
    private readonly double[] _means;
    private readonly double[] _inverseStds;
    private readonly double _clip;

    public OnlineLogisticRegressionPredictor(LogisticState state, double clip)
    {
        _layout = state.Layout;
        _weights = (double[])state.Weights.Clone();
        _means = (double[])state.Means.Clone();
        _inverseStds = (double[])state.InverseStds.Clone();
        _clip = clip;
        ExamplesSeen = state.ExamplesSeen;
    }

    public FeatureSchema Schema => _layout.Schema;

    /// <summary>Gets how many examples the learner had seen when this snapshot was taken.</summary>
    public long ExamplesSeen { get; }

    /// <summary>Gets a copy of the weights (slot 0 is the bias); for inspection and tests.</summary>
    public double[] GetWeights() => (double[])_weights.Clone();

    public float PredictProbability(ReadOnlySpan<float> features) => (float)Sigmoid(Margin(features, -1));

    public void PredictProbability(ReadOnlySpan<float> features, Span<float> destination)
    {
        var n = _layout.Schema.Count;
        if (features.Length % n != 0)
        {
            throw new ArgumentException($"{features.Length} feature values are not a whole number of rows of {n} features.", nameof(features));
        }

        var rows = features.Length / n;
        if (destination.Length < rows)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; {rows} rows need scoring.", nameof(destination));
        }

        for (var r = 0; r < rows; r++)
        {
            destination[r] = (float)Sigmoid(Margin(features.Slice(r * n, n), r));
        }
    }

    internal static double Sigmoid(double z)
    {
        z = Math.Clamp(z, -35, 35);
        return 1 / (1 + Math.Exp(-z));
    }

    private double Margin(ReadOnlySpan<float> row, long rowNumber)
    {
        var max = _layout.MaxActive;
        Span<int> idx = max <= StackLimit ? stackalloc int[max] : new int[max];
        Span<double> val = max <= StackLimit ? stackalloc double[max] : new double[max];
        var k = _layout.Encode(row, _means, _inverseStds, _clip, idx, val, rowNumber);
        var z = 0.0;
        for (var i = 0; i < k; i++)
        {
            z += _weights[idx[i]] * val[i];
        }

        return z;
    }
}
