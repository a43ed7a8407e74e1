using Microsoft.Extensions.Logging;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Tests.TestUtils;
using PatternQuality.Training;

namespace PatternQuality.Tests.Training;

/// <summary>Shared, cached inputs of the training tests: the real coupon CSV and small, fast trainer settings.</summary>
internal static class TrainingFixtures
{
    private static readonly Lazy<CsvLoadResult> _coupon = new(() => CsvDatasetLoader.Load(SharedData.Coupon, new CsvLoadOptions { LabelColumn = "Y" }));

    public static CsvLoadResult Coupon => _coupon.Value;

    /// <summary>Gets every fourth coupon row (3,171 rows): enough signal, a quarter of the cost.</summary>
    public static Dataset CouponSample => Coupon.Dataset.Select(Enumerable.Range(0, Coupon.Dataset.RowCount).Where(i => i % 4 == 0).ToArray());

    /// <summary>Settings that keep a run to a fraction of a second: 30 trees, 3 calibration folds.</summary>
    public static QualityTrainerOptions FastOptions() => new()
    {
        GradientBoosting = { NumberOfTrees = 30 },
        RandomForest = { NumberOfTrees = 20 },
        CalibrationFolds = 3,
    };

    /// <summary>A dataset with one numeric feature and the given labels, timestamps one minute apart.</summary>
    public static Dataset Tiny(float[] labels)
    {
        var schema = new FeatureSchema([new FeatureDefinition("x", FeatureKind.Numeric)]);
        var x = labels.Select((y, i) => y + ((i % 7) * 0.1f)).ToArray();
        var t = labels.Select((_, i) => 1_700_000_000_000L + (i * 60_000L)).ToArray();
        return new Dataset(schema, x, labels, timestamps: t);
    }
}

/// <summary>Calls back synchronously, so assertions see every report (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class RecordingProgress<T>(Action<T>? onReport = null) : IProgress<T>
{
    private readonly List<T> _reports = [];

    public IReadOnlyList<T> Reports
    {
        get
        {
            lock (_reports)
            {
                return _reports.ToArray();
            }
        }
    }

    public void Report(T value)
    {
        lock (_reports)
        {
            _reports.Add(value);
        }

        onReport?.Invoke(value);
    }
}

/// <summary>Adapts the shared <see cref="Telemetry.FakeLogger"/> to <see cref="ILogger{TCategoryName}"/>.</summary>
internal sealed class TypedLogger<T>(ILogger inner) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        inner.Log(logLevel, eventId, state, exception, formatter);
}
