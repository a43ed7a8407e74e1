using PatternQuality.Data;
using PatternQuality.Features.Internal;
using PatternQuality.Feedback;

namespace PatternQuality.Features;

/// <summary>
/// Writes the features declared with a <see cref="FeatureExtractorBuilder{TPattern}"/> into vectors laid out by
/// <see cref="Schema"/>, and keeps the <see cref="HistoryState"/> its history features read.
/// </summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
/// <remarks>
/// <see cref="Extract(TPattern, Span{float})"/> is thread-safe and does not allocate. History features read the state
/// as it is at the call: at scoring time that is all feedback observed so far. For training, use
/// <see cref="ExtractTraining"/>, which is causal: each record sees only feedback strictly before its own timestamp.
/// </remarks>
public sealed class FeatureExtractor<TPattern> : IFeatureExtractor<TPattern>
{
    private readonly FeatureSlot<TPattern>[] _slots;
    private readonly HistorySlot<TPattern>[] _historySlots;
    private readonly string[] _historyFeatures;

    internal FeatureExtractor(FeatureSlot<TPattern>[] slots, HistoryState history)
    {
        _slots = slots;
        _historySlots = slots.OfType<HistorySlot<TPattern>>().ToArray();
        _historyFeatures = _historySlots.Select(s => s.Name).ToArray();
        History = history;
        var definitions = new List<FeatureDefinition>();
        foreach (var slot in slots)
        {
            slot.AddDefinitions(definitions);
        }

        Schema = new FeatureSchema(definitions);
    }

    /// <inheritdoc />
    public FeatureSchema Schema { get; }

    /// <summary>Gets the counts the history features read; serialize it with the model version (see <see cref="HistoryState.WriteTo"/>).</summary>
    public HistoryState History { get; }

    /// <summary>
    /// Gets the row columns this extractor was built from by <see cref="RowFeatureExtractor"/>, or <see langword="null"/>
    /// for declared features. A model trained from feedback with it keeps them, so a restart can rebuild the extractor.
    /// </summary>
    internal IReadOnlyList<RowColumn>? RowColumns { get; private init; }

    /// <summary>Gets the number of declared features (a timestamp or history feature is one, though it writes several columns).</summary>
    internal int DeclaredFeatureCount => _slots.Length;

    /// <summary>Gets the name a declared feature was given.</summary>
    internal string DeclaredFeatureName(int index) => _slots[index].Name;

    /// <summary>Gets how many consecutive vector columns a declared feature writes.</summary>
    internal int DeclaredFeatureWidth(int index) => _slots[index].Width;

    /// <summary>Describes a pattern's value of a declared feature as the user gave it, for explanations; null when missing.</summary>
    internal string? DescribeDeclaredFeature(int index, TPattern pattern, ReadOnlySpan<float> written) => _slots[index].Describe(pattern, written);

    /// <summary>Gets the names of the history features (the prefixes of their <c>.rate</c> and <c>.count</c> columns).</summary>
    public IReadOnlyList<string> HistoryFeatures => _historyFeatures;

    /// <inheritdoc />
    /// <exception cref="PatternQualityException">An accessor threw; the message names the feature.</exception>
    public void Extract(TPattern pattern, Span<float> destination)
    {
        if (pattern is null)
        {
            throw new ArgumentNullException(nameof(pattern), "Cannot extract features from a null pattern.");
        }

        if (destination.Length != Schema.Count)
        {
            throw new ArgumentException(
                $"The destination has {destination.Length} floats; the feature schema has {Schema.Count} features.", nameof(destination));
        }

        var offset = 0;
        var i = 0;
        try
        {
            for (; i < _slots.Length; i++)
            {
                var slot = _slots[i];
                slot.Write(pattern, destination.Slice(offset, slot.Width), History);
                offset += slot.Width;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not PatternQualityException)
        {
            throw new PatternQualityException($"Reading feature '{_slots[i].Name}' failed: {ex.Message}", ex);
        }
    }

    /// <summary>Extracts one pattern into a new array.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <returns>The feature vector.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
    public float[] Extract(TPattern pattern)
    {
        var vector = new float[Schema.Count];
        Extract(pattern, vector);
        return vector;
    }

    /// <summary>Records feedback on a pattern in <see cref="History"/>, so later extractions see it.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <param name="label">1 for approved, 0 for rejected.</param>
    /// <param name="weight">The sample weight.</param>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
    public void Observe(TPattern pattern, float label, float weight = 1f)
    {
        if (pattern is null)
        {
            throw new ArgumentNullException(nameof(pattern), "Cannot observe feedback on a null pattern.");
        }

        foreach (var slot in _historySlots)
        {
            History.Observe(slot.Name, slot.GetKey(pattern), label, weight);
        }
    }

    /// <summary>Records a feedback record in <see cref="History"/>.</summary>
    /// <param name="record">The feedback.</param>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public void Observe(FeedbackRecord<TPattern> record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Observe(record.Pattern, record.Label, record.Weight);
    }

    /// <summary>Returns an extractor with the same features that reads and updates another history state (for example one loaded with a model version).</summary>
    /// <param name="history">The state.</param>
    /// <returns>The new extractor; this one is unchanged.</returns>
    public FeatureExtractor<TPattern> WithHistory(HistoryState history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return new FeatureExtractor<TPattern>(_slots, history) { RowColumns = RowColumns };
    }

    /// <summary>Returns this extractor (same slots and state) remembering the row columns it was built from.</summary>
    internal FeatureExtractor<TPattern> WithRowColumns(IReadOnlyList<RowColumn> columns) => new(_slots, History) { RowColumns = columns };

    /// <summary>
    /// Builds a training set from feedback, causally: records are taken in timestamp order (then sequence), each
    /// record's history features come from the state as of strictly before its timestamp (records with equal
    /// timestamps do not see each other), and only then is it observed into <see cref="History"/>.
    /// </summary>
    /// <param name="records">The feedback, in any order.</param>
    /// <param name="cancellationToken">Stops the extraction.</param>
    /// <returns>
    /// The rows in timestamp order, with 0/1 labels from the outcomes, weights, timestamps in unix milliseconds and
    /// groups from the user ids.
    /// </returns>
    /// <exception cref="ArgumentException">A record is null, or there are none.</exception>
    public Dataset ExtractTraining(IEnumerable<FeedbackRecord<TPattern>> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var list = records.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("There is no feedback to build a training set from.", nameof(records));
        }

        for (var i = 0; i < list.Length; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"Feedback record {i} is null.", nameof(records));
            }
        }

        // Stable: equal timestamps keep the source's sequence order.
        var ordered = list.OrderBy(r => r.Timestamp).ThenBy(r => r.Sequence).ToArray();
        var width = Schema.Count;
        var features = new float[(long)ordered.Length * width];
        var labels = new float[ordered.Length];
        var weights = new float[ordered.Length];
        var timestamps = new long[ordered.Length];
        var groups = new string?[ordered.Length];
        var start = 0;
        while (start < ordered.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = start + 1;
            while (end < ordered.Length && ordered[end].Timestamp == ordered[start].Timestamp)
            {
                end++;
            }

            for (var i = start; i < end; i++)
            {
                var r = ordered[i];
                Extract(r.Pattern, features.AsSpan(i * width, width));
                labels[i] = r.Label;
                weights[i] = r.Weight;
                timestamps[i] = r.Timestamp.ToUnixTimeMilliseconds();
                groups[i] = r.UserId;
            }

            for (var i = start; i < end; i++)
            {
                Observe(ordered[i]);
            }

            start = end;
        }

        return new Dataset(Schema, features, labels, weights, timestamps, groups);
    }
}
