using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Internal;
using PatternQuality.Scoring.Internal;
using PatternQuality.Telemetry;

namespace PatternQuality.Scoring;

/// <summary>
/// Scores and ranks patterns with the current model: extracts each pattern's features and asks the model in
/// <see cref="QualityModelHolder"/> for the approval probability; with a <see cref="MulticlassQualityModel"/> in the
/// holder, predicts and explains class probabilities (<see cref="PredictClasses(TPattern)"/>, <see cref="ExplainClass"/>).
/// </summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
/// <remarks>
/// Thread-safe. Each call reads the current model once, so a model swap never splits a batch. The model's schema is
/// checked against the extractor's once per model, not per call. Before any model exists every pattern gets
/// <see cref="PatternQualityOptions.DefaultScore"/>.
/// History features are read from the served model's <see cref="QualityModel.History"/> when it carries one (the state
/// saved with the version, kept current by the incremental learner), otherwise from the extractor's own state.
/// </remarks>
public sealed class PatternScorer<TPattern>
{
    private const int StackLimit = 256;

    private readonly IFeatureExtractor<TPattern> _extractor;
    private readonly QualityModelHolder _models;
    private readonly float _defaultScore;
    private readonly PatternQualityMetrics _metrics;
    private Served? _served;

    /// <summary>Initializes a new scorer.</summary>
    /// <param name="extractor">Turns patterns into feature vectors.</param>
    /// <param name="models">Holds the current model.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="meterFactory">Creates the <c>PatternQuality</c> meter (score count and duration); the shared static meter when <see langword="null"/>.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid (every problem is listed).</exception>
    public PatternScorer(IFeatureExtractor<TPattern> extractor, QualityModelHolder models, PatternQualityOptions? options = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(models);
        options ??= new PatternQualityOptions();
        OptionsValidation.ThrowIfInvalid(options, new PatternQualityOptionsValidator());
        _extractor = extractor;
        _models = models;
        _defaultScore = (float)options.DefaultScore;
        _metrics = PatternQualityMetrics.Create(meterFactory);
    }

    /// <summary>Gets the schema of the vectors this scorer builds.</summary>
    public FeatureSchema Schema => _extractor.Schema;

    /// <summary>Scores one pattern.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <returns>The calibrated probability that a user approves it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
    /// <exception cref="SchemaMismatchException">The current model was trained on a different schema; the message names the differences.</exception>
    /// <exception cref="NotSupportedException">The current model is a <see cref="MulticlassQualityModel"/>: it has class probabilities (<see cref="PredictClasses(TPattern)"/>), not an approval score.</exception>
    public float Score(TPattern pattern)
    {
        if (pattern is null)
        {
            throw new ArgumentNullException(nameof(pattern), "Cannot score a null pattern.");
        }

        var start = _metrics.ScoreTimingEnabled ? Stopwatch.GetTimestamp() : 0;
        if (CurrentModel() is not { } served)
        {
            _metrics.RecordScore(1, start, byModel: false);
            return _defaultScore;
        }

        var (model, extractor) = (served.Model, served.Extractor);
        var width = extractor.Schema.Count;
        float[]? rented = null;
        var buffer = width <= StackLimit ? stackalloc float[width] : (rented = ArrayPool<float>.Shared.Rent(width)).AsSpan(0, width);
        try
        {
            extractor.Extract(pattern, buffer);
            var score = model.Score(buffer);
            _metrics.RecordScore(1, start, byModel: true);
            return score;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Scores many patterns with one model.</summary>
    /// <param name="patterns">The patterns.</param>
    /// <param name="destination">Receives one score per pattern.</param>
    /// <exception cref="ArgumentException">A pattern is null, or <paramref name="destination"/> has the wrong length.</exception>
    /// <exception cref="SchemaMismatchException">The current model was trained on a different schema.</exception>
    public void Score(IReadOnlyList<TPattern> patterns, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        if (destination.Length != patterns.Count)
        {
            throw new ArgumentException($"The destination has {destination.Length} slots for {patterns.Count} patterns.", nameof(destination));
        }

        for (var i = 0; i < patterns.Count; i++)
        {
            if (patterns[i] is null)
            {
                throw new ArgumentException($"Pattern {i} of the batch is null.", nameof(patterns));
            }
        }

        ScoreChecked(patterns, destination, null);
    }

    /// <summary>Scores checked patterns with one model snapshot; also writes ranking scores when asked and the model ranks.</summary>
    /// <returns>Whether <paramref name="ranking"/> was written.</returns>
    private bool ScoreChecked(IReadOnlyList<TPattern> patterns, Span<float> destination, float[]? ranking)
    {
        var start = _metrics.ScoreTimingEnabled ? Stopwatch.GetTimestamp() : 0;
        if (CurrentModel() is not { } served)
        {
            destination.Fill(_defaultScore);
            _metrics.RecordScore(patterns.Count, start, byModel: false);
            return false;
        }

        var ranked = ScoreWith(served, patterns, destination, ranking);
        _metrics.RecordScore(patterns.Count, start, byModel: true);
        return ranked;
    }

    /// <summary>Scores patterns (checked non-null) with one served model and its extractor.</summary>
    private static bool ScoreWith(Served served, IReadOnlyList<TPattern> patterns, Span<float> destination, float[]? ranking = null)
    {
        var (model, extractor) = (served.Model, served.Extractor);
        var width = extractor.Schema.Count;
        var size = patterns.Count * width;
        var rented = ArrayPool<float>.Shared.Rent(Math.Max(1, size));
        try
        {
            var features = rented.AsSpan(0, size);
            for (var i = 0; i < patterns.Count; i++)
            {
                extractor.Extract(patterns[i], features.Slice(i * width, width));
            }

            model.Score(features, destination);

            // A ranking model orders by its own score: a calibrator may tie candidates (isotonic steps) it kept apart.
            if (ranking is not null && model is QualityModel { IsRanking: true } ranker)
            {
                ranker.PredictRankingScores(features, ranking);
                return true;
            }

            return false;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>Scores many patterns into a new array.</summary>
    /// <param name="patterns">The patterns.</param>
    /// <returns>One score per pattern.</returns>
    public float[] Score(IReadOnlyList<TPattern> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var scores = new float[patterns.Count];
        Score(patterns, scores);
        return scores;
    }

    /// <summary>
    /// Scores many patterns with one model and names the stored version of that model (or the version its unsaved
    /// incremental updates build on), read together, so a response never pairs one model's scores with another's version.
    /// </summary>
    /// <param name="patterns">The patterns.</param>
    /// <returns>One score per pattern and the version that scored them (<see langword="null"/> when none is stored yet, or when the default score was given).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="patterns"/> is null.</exception>
    /// <exception cref="ArgumentException">A pattern is null.</exception>
    /// <exception cref="SchemaMismatchException">The current model was trained on a different schema.</exception>
    /// <remarks>
    /// Reading <see cref="QualityModelHolder.Current"/> (or a learner's base version) before or after <see cref="Score(IReadOnlyList{TPattern})"/>
    /// races a swap: a version adopted while the batch was scored would be reported beside the previous model's scores.
    /// </remarks>
    public ServedScores ScoreServed(IReadOnlyList<TPattern> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        for (var i = 0; i < patterns.Count; i++)
        {
            if (patterns[i] is null)
            {
                throw new ArgumentException($"Pattern {i} of the batch is null.", nameof(patterns));
            }
        }

        var start = _metrics.ScoreTimingEnabled ? Stopwatch.GetTimestamp() : 0;
        var scores = new float[patterns.Count];
        var (model, version) = _models.Read();
        if (CurrentModel(model) is not { } served)
        {
            scores.AsSpan().Fill(_defaultScore);
            _metrics.RecordScore(patterns.Count, start, byModel: false);
            return new ServedScores(scores, null);
        }

        ScoreWith(served, patterns, scores);
        _metrics.RecordScore(patterns.Count, start, byModel: true);
        return new ServedScores(scores, version);
    }

    /// <summary>
    /// Scores one pattern and says why: exact TreeSHAP contributions of its features, the <paramref name="top"/> largest
    /// named with the pattern's own values, and a short reason text.
    /// </summary>
    /// <param name="pattern">The pattern.</param>
    /// <param name="top">How many features to name at most (features that did not move the score are left out).</param>
    /// <returns>The explanation; its <see cref="ScoreExplanation.Score"/> equals <see cref="Score(TPattern)"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException">There is no model yet.</exception>
    /// <exception cref="NotSupportedException">The current model is not a tree model (for example a custom predictor), or is multiclass (see <see cref="ExplainClass"/>).</exception>
    /// <exception cref="SchemaMismatchException">The current model was trained on a different schema.</exception>
    /// <remarks>Thread-safe and cheap enough per request: buffers are pooled, and only the result and its top values are allocated.</remarks>
    public ScoreExplanation Explain(TPattern pattern, int top = 5)
    {
        if (pattern is null)
        {
            throw new ArgumentNullException(nameof(pattern), "Cannot explain a null pattern.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var served = CurrentModel() ?? throw new InvalidOperationException("There is no model to explain yet; patterns get the default score until one is published.");
        if (served.Model is not QualityModel quality)
        {
            throw new NotSupportedException(served.Model is MulticlassQualityModel
                ? "The current model is multiclass: explain one class with ExplainClass (and predict with PredictClasses)."
                : $"Explanations need a {nameof(QualityModel)}; the current model is a {served.Model.GetType().Name}.");
        }

        // The extractor paired with the served model (its history state), so the explained score is the scored one.
        return ScoreExplainer.Explain(quality, served.Extractor, pattern, top);
    }

    /// <summary>Predicts the class probabilities of one pattern with the current multiclass model.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <returns>Every class's calibrated probability, the top class and its confidence.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
    /// <exception cref="InvalidOperationException">There is no model yet (a default would not be a class).</exception>
    /// <exception cref="NotSupportedException">The current model is not a <see cref="MulticlassQualityModel"/> (a binary model scores with <see cref="Score(TPattern)"/>).</exception>
    /// <exception cref="SchemaMismatchException">The current model was trained on a different schema.</exception>
    /// <remarks>Thread-safe while models swap: the call reads the current model once.</remarks>
    public ClassProbabilities PredictClasses(TPattern pattern)
    {
        if (pattern is null)
        {
            throw new ArgumentNullException(nameof(pattern), "Cannot predict a null pattern.");
        }

        return PredictClasses([pattern])[0];
    }

    /// <summary>Predicts the class probabilities of many patterns, all with one multiclass model snapshot.</summary>
    /// <param name="patterns">The patterns.</param>
    /// <returns>One result per pattern, in order.</returns>
    /// <exception cref="ArgumentException">A pattern is null.</exception>
    /// <exception cref="InvalidOperationException">There is no model yet.</exception>
    /// <exception cref="NotSupportedException">The current model is not a <see cref="MulticlassQualityModel"/>.</exception>
    /// <exception cref="SchemaMismatchException">The current model was trained on a different schema.</exception>
    public IReadOnlyList<ClassProbabilities> PredictClasses(IReadOnlyList<TPattern> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        for (var i = 0; i < patterns.Count; i++)
        {
            if (patterns[i] is null)
            {
                throw new ArgumentException($"Pattern {i} of the batch is null.", nameof(patterns));
            }
        }

        var start = _metrics.ScoreTimingEnabled ? Stopwatch.GetTimestamp() : 0;
        var (served, model) = CurrentMulticlass("Class probabilities");
        var width = served.Extractor.Schema.Count;
        var k = model.ClassCount;
        var result = new ClassProbabilities[patterns.Count];
        var rented = ArrayPool<float>.Shared.Rent(Math.Max(1, width));
        try
        {
            var x = rented.AsSpan(0, width);
            for (var i = 0; i < patterns.Count; i++)
            {
                served.Extractor.Extract(patterns[i], x);
                var p = new float[k];
                model.PredictProbabilities(x, p);
                result[i] = new ClassProbabilities(model.ClassNames, p);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }

        _metrics.RecordScore(patterns.Count, start, byModel: true);
        return result;
    }

    /// <summary>
    /// Explains one class's probability for a pattern with the current multiclass model: exact TreeSHAP contributions
    /// to that class's softmax input, the <paramref name="top"/> largest named with the pattern's values, and a reason
    /// text for the class ("more likely high: genre = Drama (+0.31), ...").
    /// </summary>
    /// <param name="pattern">The pattern.</param>
    /// <param name="className">The class to explain (for example the top class of <see cref="PredictClasses(TPattern)"/>).</param>
    /// <param name="top">How many features to name at most.</param>
    /// <returns>
    /// The explanation: <see cref="ScoreExplanation.Score"/> is the class's calibrated probability,
    /// <see cref="ScoreExplanation.BaseScore"/> its probability at every class's average raw score,
    /// <see cref="ScoreExplanation.Outcome"/> the class name; contributions plus bias sum to the class's raw score.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> or <paramref name="className"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The current model has no class of that name; the message lists its classes.</exception>
    /// <exception cref="InvalidOperationException">There is no model yet.</exception>
    /// <exception cref="NotSupportedException">The current model is not a <see cref="MulticlassQualityModel"/> (a binary model explains with <see cref="Explain"/>).</exception>
    /// <exception cref="SchemaMismatchException">The current model was trained on a different schema.</exception>
    /// <remarks>Thread-safe while models swap: the class, its probability and its reasons all come from one model.</remarks>
    public ScoreExplanation ExplainClass(TPattern pattern, string className, int top = 5)
    {
        if (pattern is null)
        {
            throw new ArgumentNullException(nameof(pattern), "Cannot explain a null pattern.");
        }

        ArgumentNullException.ThrowIfNull(className);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var (served, model) = CurrentMulticlass("Class explanations");
        var index = -1;
        for (var c = 0; c < model.ClassCount; c++)
        {
            if (string.Equals(model.ClassNames[c], className, StringComparison.Ordinal))
            {
                index = c;
                break;
            }
        }

        if (index < 0)
        {
            throw new ArgumentException($"The current model has no class '{className}'; its classes are {string.Join(", ", model.ClassNames)}.", nameof(className));
        }

        return ScoreExplainer.ExplainClass(model, served.Extractor, pattern, index, top);
    }

    /// <summary>
    /// Suggests the best candidates with reasons: ranks them by score (as <see cref="Rank"/>) and explains only the ones
    /// returned, all with one model snapshot, so the cost of explaining does not grow with the number of candidates and
    /// a model swap in between cannot pair a score with another model's reasons.
    /// </summary>
    /// <param name="candidates">The candidates, for example every task that fits the user's context.</param>
    /// <param name="top">How many to return at most.</param>
    /// <param name="reasons">How many features each explanation names at most.</param>
    /// <returns>Up to <paramref name="top"/> candidates, highest score first (ties keep the input order), each with its explanation.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> or <paramref name="reasons"/> is below 1.</exception>
    /// <exception cref="ArgumentException">A candidate is null.</exception>
    /// <exception cref="InvalidOperationException">There is no model yet (unexplained defaults would not be suggestions).</exception>
    /// <exception cref="NotSupportedException">The current model is not a tree model.</exception>
    /// <exception cref="SchemaMismatchException">The current model was trained on a different schema.</exception>
    public IReadOnlyList<ExplainedPattern<TPattern>> Suggest(IEnumerable<TPattern> candidates, int top, int reasons = 3)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(reasons, 1);
        var list = candidates as IReadOnlyList<TPattern> ?? candidates.ToArray();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"Candidate {i} is null.", nameof(candidates));
            }
        }

        var served = CurrentModel() ?? throw new InvalidOperationException("There is no model to suggest with yet; patterns get the default score until one is published.");
        if (served.Model is not QualityModel quality)
        {
            throw new NotSupportedException($"Suggestions with reasons need a {nameof(QualityModel)}; the current model is a {served.Model.GetType().Name}.");
        }

        var n = list.Count;
        var scores = new float[n];
        ScoreWith(served, list, scores);
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            var c = scores[b].CompareTo(scores[a]);
            return c != 0 ? c : a.CompareTo(b);
        });
        var result = new ExplainedPattern<TPattern>[Math.Min(top, n)];
        for (var i = 0; i < result.Length; i++)
        {
            var pattern = list[order[i]];
            var explanation = ScoreExplainer.Explain(quality, served.Extractor, pattern, reasons);
            result[i] = new ExplainedPattern<TPattern>(pattern, explanation.Score, explanation);
        }

        return result;
    }

    /// <summary>
    /// Explains several patterns with one model snapshot, naming up to <paramref name="top"/> features each, so that
    /// comparisons between them (the slots of <c>ExplainBestTimes</c>) cannot mix two models' contributions.
    /// </summary>
    internal ScoreExplanation[] ExplainAll(IReadOnlyList<TPattern> patterns, int top)
    {
        var served = CurrentModel() ?? throw new InvalidOperationException("There is no model to explain yet; patterns get the default score until one is published.");
        if (served.Model is not QualityModel quality)
        {
            throw new NotSupportedException($"Explanations need a {nameof(QualityModel)}; the current model is a {served.Model.GetType().Name}.");
        }

        var result = new ScoreExplanation[patterns.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = ScoreExplainer.Explain(quality, served.Extractor, patterns[i], top);
        }

        return result;
    }

    /// <summary>
    /// Returns the best candidates, highest score first (ties keep the input order). A ranking model
    /// (<see cref="QualityModel.IsRanking"/>) orders by its own ranking score, returned as <see cref="ScoredPattern{TPattern}.RankingScore"/>.
    /// </summary>
    /// <param name="candidates">The candidates.</param>
    /// <param name="top">How many to return at most.</param>
    /// <returns>Up to <paramref name="top"/> candidates with their scores.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is below 1.</exception>
    /// <exception cref="ArgumentException">A candidate is null.</exception>
    public IReadOnlyList<ScoredPattern<TPattern>> Rank(IEnumerable<TPattern> candidates, int top)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var list = candidates as IReadOnlyList<TPattern> ?? candidates.ToArray();
        var scores = ArrayPool<float>.Shared.Rent(Math.Max(1, list.Count));
        var ranking = ArrayPool<float>.Shared.Rent(Math.Max(1, list.Count));
        var order = ArrayPool<int>.Shared.Rent(Math.Max(1, list.Count));
        try
        {
            var n = list.Count;
            for (var i = 0; i < n; i++)
            {
                if (list[i] is null)
                {
                    throw new ArgumentException($"Pattern {i} of the batch is null.", nameof(candidates));
                }

                order[i] = i;
            }

            // One model snapshot gives both the probability and, for a ranking model, the score that orders.
            var ranked = ScoreChecked(list, scores.AsSpan(0, n), ranking);
            var s = ranked ? ranking : scores;
            order.AsSpan(0, n).Sort((a, b) =>
            {
                var c = s[b].CompareTo(s[a]);
                return c != 0 ? c : a.CompareTo(b);
            });
            var k = Math.Min(top, n);
            var result = new ScoredPattern<TPattern>[k];
            for (var i = 0; i < k; i++)
            {
                var r = order[i];
                result[i] = new ScoredPattern<TPattern>(list[r], scores[r]) { RankingScore = ranked ? ranking[r] : null };
            }

            return result;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
            ArrayPool<float>.Shared.Return(ranking);
            ArrayPool<int>.Shared.Return(order);
        }
    }

    private Served? CurrentModel() => CurrentModel(_models.Current);

    private (Served Served, MulticlassQualityModel Model) CurrentMulticlass(string what)
    {
        var served = CurrentModel() ?? throw new InvalidOperationException($"{what} need a model; none has been published yet.");
        return served.Model is MulticlassQualityModel multiclass
            ? (served, multiclass)
            : throw new NotSupportedException($"{what} need a {nameof(MulticlassQualityModel)}; the current model is a {served.Model.GetType().Name} (score it with Score, explain it with Explain).");
    }

    private Served? CurrentModel(IQualityModel? model)
    {
        if (model is null)
        {
            return null;
        }

        var served = Volatile.Read(ref _served);
        if (served is not null && ReferenceEquals(served.Model, model))
        {
            return served;
        }

        // Once per model: a swap to a model of another schema fails loudly on the first request, naming the differences.
        model.Info.Schema.EnsureCompatible(_extractor.Schema);
        var extractor = _extractor;
        if (model is QualityModel { History: { } history } && _extractor is FeatureExtractor<TPattern> { HistoryFeatures.Count: > 0 } typed
            && !ReferenceEquals(typed.History, history))
        {
            // The model's history is the one it was trained and updated with; the same slots read it.
            extractor = typed.WithHistory(history);
        }

        served = new Served(model, extractor);
        Volatile.Write(ref _served, served);
        return served;
    }

    /// <summary>A model and the extractor (history state) it is scored with, published together.</summary>
    private sealed record Served(IQualityModel Model, IFeatureExtractor<TPattern> Extractor);
}
