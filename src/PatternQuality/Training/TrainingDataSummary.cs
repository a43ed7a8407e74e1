using System.Text.Json.Serialization;
using PatternQuality.Internal;

namespace PatternQuality.Training;

/// <summary>What a training run learned from: row counts, positive rates, time range and feature count.</summary>
public sealed class TrainingDataSummary
{
    internal TrainingDataSummary(
        int trainRows, int testRows, double trainPositiveRate, double testPositiveRate, int featureCount,
        DateTimeOffset? firstTimestamp, DateTimeOffset? lastTimestamp, DateTimeOffset? testCutoff, SplitStrategy split, int corpusRows)
    {
        TrainRows = trainRows;
        TestRows = testRows;
        TrainPositiveRate = trainPositiveRate;
        TestPositiveRate = testPositiveRate;
        FeatureCount = featureCount;
        FirstTimestamp = firstTimestamp;
        LastTimestamp = lastTimestamp;
        TestCutoff = testCutoff;
        Split = split;
        CorpusRows = corpusRows;
    }

    /// <summary>Gets the number of rows the model was trained (and calibrated) on.</summary>
    public int TrainRows { get; }

    /// <summary>Gets the number of holdout rows the metrics come from.</summary>
    public int TestRows { get; }

    /// <summary>Gets the number of rows the data had before the split.</summary>
    public int TotalRows => TrainRows + TestRows;

    /// <summary>Gets the (weighted) share of approved rows among the training rows.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double TrainPositiveRate { get; }

    /// <summary>Gets the (weighted) share of approved rows among the holdout rows.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double TestPositiveRate { get; }

    /// <summary>Gets the number of features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Gets the earliest timestamp of the data, or <see langword="null"/> when it has none.</summary>
    public DateTimeOffset? FirstTimestamp { get; }

    /// <summary>Gets the latest timestamp of the data, or <see langword="null"/> when it has none.</summary>
    public DateTimeOffset? LastTimestamp { get; }

    /// <summary>Gets the first timestamp of the test period of a temporal split, or <see langword="null"/> for other splits.</summary>
    public DateTimeOffset? TestCutoff { get; }

    /// <summary>Gets the split that was used (never <see cref="SplitStrategy.Auto"/>; <see cref="SplitStrategy.Auto"/> resolves to what it chose).</summary>
    /// <remarks>When a test set was passed in, this is the configured value and no split happened.</remarks>
    public SplitStrategy Split { get; }

    /// <summary>Gets the number of corpus rows pre-trained on, or 0 without pre-training.</summary>
    public int CorpusRows { get; }
}
