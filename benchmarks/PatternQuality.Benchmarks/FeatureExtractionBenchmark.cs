using BenchmarkDotNet.Attributes;
using PatternQuality.Features;
using PatternQuality.Feedback;

namespace PatternQuality.Benchmarks;

/// <summary>
/// Feature extraction throughput: a typed POCO extractor with every feature kind (the scoring path), the same features
/// from string-dictionary rows (the CSV path), and causal training extraction. Each invocation handles
/// <see cref="BatchSize"/> patterns, so the reported time is per pattern.
/// </summary>
[MemoryDiagnoser]
public class FeatureExtractionBenchmark
{
    private const int BatchSize = 1000;

    private FeatureExtractor<Pattern> _typed = null!;
    private FeatureExtractor<IReadOnlyDictionary<string, string?>> _rows = null!;
    private Pattern[] _patterns = null!;
    private IReadOnlyDictionary<string, string?>[] _rowPatterns = null!;
    private FeedbackRecord<Pattern>[] _feedback = null!;
    private float[] _buffer = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var types = new[] { "time_of_day", "co_occurrence", "sequence", "anomaly", "threshold" };
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        _patterns = new Pattern[BatchSize];
        _rowPatterns = new IReadOnlyDictionary<string, string?>[BatchSize];
        _feedback = new FeedbackRecord<Pattern>[BatchSize];
        for (var i = 0; i < BatchSize; i++)
        {
            var p = new Pattern(
                random.NextDouble(),
                random.Next(2) == 0,
                types[random.Next(types.Length)],
                start.AddMinutes(random.Next(60 * 24 * 90)),
                "user" + random.Next(100));
            _patterns[i] = p;
            _rowPatterns[i] = new Dictionary<string, string?>
            {
                ["confidence"] = p.Confidence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["weekend"] = p.Weekend ? "true" : "false",
                ["type"] = p.Type,
                ["shown"] = p.Shown.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["user"] = p.User,
            };
            _feedback[i] = new FeedbackRecord<Pattern>("r" + i, i, p, random.Next(2) == 0 ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected, p.Shown)
            {
                UserId = p.User,
            };
        }

        _typed = new FeatureExtractorBuilder<Pattern>()
            .Numeric("confidence", p => p.Confidence)
            .Boolean("weekend", p => p.Weekend)
            .Categorical("type", p => p.Type, types)
            .Timestamp("shown", p => p.Shown)
            .History("user", p => p.User)
            .Build();
        foreach (var r in _feedback)
        {
            _typed.Observe(r);
        }

        _rows = RowFeatureExtractor.Create(
            [
                new RowColumn("confidence", RowColumnKind.Numeric),
                new RowColumn("weekend", RowColumnKind.Boolean),
                new RowColumn("type", RowColumnKind.Categorical) { Categories = types },
                new RowColumn("shown", RowColumnKind.Timestamp),
                new RowColumn("user", RowColumnKind.History),
            ]);
        _buffer = new float[_typed.Schema.Count];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public float TypedPattern()
    {
        var sum = 0f;
        foreach (var p in _patterns)
        {
            _typed.Extract(p, _buffer);
            sum += _buffer[0];
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public float DictionaryRow()
    {
        var sum = 0f;
        foreach (var row in _rowPatterns)
        {
            _rows.Extract(row, _buffer);
            sum += _buffer[0];
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int CausalTraining()
    {
        // A fresh history each time, so every invocation does the same work.
        return _typed.WithHistory(new HistoryState()).ExtractTraining(_feedback).RowCount;
    }

    public sealed record Pattern(double Confidence, bool Weekend, string Type, DateTimeOffset Shown, string User);
}
