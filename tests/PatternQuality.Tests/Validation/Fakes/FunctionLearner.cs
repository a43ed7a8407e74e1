using PatternQuality.Data;
using PatternQuality.Learning;

namespace PatternQuality.Tests.Validation.Fakes;

/// <summary>A learner that ignores its training data and always returns a fixed scoring function; counts its fits.</summary>
internal sealed class FunctionLearner(Func<ReadOnlySpan<float>, float> score) : ILearner
{
    public string Name => "function";

    public int FitCount { get; private set; }

    public List<int> TrainSizes { get; } = [];

    public IPredictor Fit(Dataset training, Dataset? validation = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        FitCount++;
        TrainSizes.Add(training.RowCount);
        return new FunctionPredictor(training.Schema, score);
    }
}


internal sealed class FunctionPredictor(FeatureSchema schema, Func<ReadOnlySpan<float>, float> score) : IPredictor
{
    public FeatureSchema Schema { get; } = schema;

    public float PredictProbability(ReadOnlySpan<float> features) => score(features);

    public void PredictProbability(ReadOnlySpan<float> features, Span<float> destination)
    {
        var n = Schema.Count;
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = score(features.Slice(i * n, n));
        }
    }
}
