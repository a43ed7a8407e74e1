using PatternQuality.Data;
using PatternQuality.Learning;

namespace PatternQuality.ActiveLearning;

/// <summary>
/// One query round: the pool of feature vectors, which of them are still unlabelled, the current model and, for
/// strategies that train a committee, the labelled rows and a learner.
/// </summary>
/// <remarks>
/// The candidates' probabilities are computed once, on first use, and shared by every strategy asked in the same round,
/// so a diverse batch built on top of an uncertainty measure does not score the pool twice. Not thread-safe: use one
/// context per round and thread.
/// </remarks>
public sealed class QueryContext
{
    private readonly ReadOnlyMemory<float> _pool;
    private float[]? _candidateRows;
    private float[]? _probabilities;

    /// <summary>Initializes a new query round.</summary>
    /// <param name="schema">The layout of each pool row.</param>
    /// <param name="pool">Row-major feature vectors, <see cref="FeatureSchema.Count"/> floats each.</param>
    /// <param name="candidates">Row indexes of <paramref name="pool"/> that may be chosen (the unlabelled ones), distinct.</param>
    /// <param name="model">The current model; its probabilities measure uncertainty.</param>
    /// <param name="labelled">The rows labelled so far, for committee strategies; or <see langword="null"/>.</param>
    /// <param name="learner">Trains committee members; or <see langword="null"/>.</param>
    /// <param name="seed">Seeds every random choice of the round, so a round is reproducible.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">The pool is not whole rows, a candidate is outside the pool or repeated, or the model reads another schema.</exception>
    public QueryContext(
        FeatureSchema schema,
        ReadOnlyMemory<float> pool,
        IReadOnlyList<int> candidates,
        IPredictor model,
        Dataset? labelled = null,
        ILearner? learner = null,
        int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(model);
        if (schema.Count == 0 || pool.Length % schema.Count != 0)
        {
            throw new ArgumentException($"The pool holds {pool.Length} floats, which is not whole rows of {schema.Count} features.", nameof(pool));
        }

        if (!model.Schema.Equals(schema))
        {
            throw new ArgumentException(
                "The model reads another schema than the pool: " + string.Join("; ", model.Schema.DescribeDifferences(schema)),
                nameof(model));
        }

        if (labelled is not null && !labelled.Schema.Equals(schema))
        {
            throw new ArgumentException("The labelled rows have another schema than the pool.", nameof(labelled));
        }

        var rows = pool.Length / schema.Count;

        // A flag per pool row rather than a hash set: a round validates 10,000 candidates in microseconds.
        var seen = new bool[rows];
        for (var i = 0; i < candidates.Count; i++)
        {
            var row = candidates[i];
            if ((uint)row >= (uint)rows)
            {
                throw new ArgumentException($"Candidate {i} is pool row {row}, but the pool has {rows} rows.", nameof(candidates));
            }

            if (seen[row])
            {
                throw new ArgumentException($"Pool row {row} is a candidate twice.", nameof(candidates));
            }

            seen[row] = true;
        }

        Schema = schema;
        _pool = pool;
        Candidates = candidates;
        Model = model;
        Labelled = labelled;
        Learner = learner;
        Seed = seed;
    }

    /// <summary>Gets the layout of each pool row.</summary>
    public FeatureSchema Schema { get; }

    /// <summary>Gets the pool's row-major feature vectors.</summary>
    public ReadOnlyMemory<float> Pool => _pool;

    /// <summary>Gets the number of rows in the pool.</summary>
    public int PoolRowCount => _pool.Length / Schema.Count;

    /// <summary>Gets the pool rows that may be chosen.</summary>
    public IReadOnlyList<int> Candidates { get; }

    /// <summary>Gets the current model.</summary>
    public IPredictor Model { get; }

    /// <summary>Gets the rows labelled so far, or <see langword="null"/>.</summary>
    public Dataset? Labelled { get; }

    /// <summary>Gets the learner that trains committee members, or <see langword="null"/>.</summary>
    public ILearner? Learner { get; }

    /// <summary>Gets the seed of the round's random choices.</summary>
    public int Seed { get; }

    /// <summary>Gets one pool row.</summary>
    /// <param name="row">A pool row index.</param>
    /// <returns>The row's features.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is outside the pool.</exception>
    public ReadOnlySpan<float> GetRow(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, PoolRowCount);
        return _pool.Span.Slice(row * Schema.Count, Schema.Count);
    }

    /// <summary>Gets the model's probability for each candidate, in <see cref="Candidates"/> order (computed once per round).</summary>
    /// <returns>One probability per candidate.</returns>
    public ReadOnlySpan<float> GetCandidateProbabilities()
    {
        _probabilities ??= Predict(Model);
        return _probabilities;
    }

    /// <summary>Scores every candidate with another model (a committee member), in <see cref="Candidates"/> order.</summary>
    internal float[] Predict(IPredictor model)
    {
        var rows = CandidateRows();
        var result = new float[Candidates.Count];
        model.PredictProbability(rows, result);
        return result;
    }

    /// <summary>Copies the feature rows of some candidates (positions in <see cref="Candidates"/>), row-major, for batch scoring.</summary>
    internal float[] CandidateRows(ReadOnlySpan<int> positions)
    {
        var width = Schema.Count;
        var rows = new float[positions.Length * width];
        var pool = _pool.Span;
        for (var i = 0; i < positions.Length; i++)
        {
            pool.Slice(Candidates[positions[i]] * width, width).CopyTo(rows.AsSpan(i * width, width));
        }

        return rows;
    }

    private float[] CandidateRows()
    {
        if (_candidateRows is null)
        {
            // One contiguous copy, so batch scoring walks memory in order whatever the candidates' order in the pool.
            var width = Schema.Count;
            var rows = new float[Candidates.Count * width];
            var pool = _pool.Span;
            for (var i = 0; i < Candidates.Count; i++)
            {
                pool.Slice(Candidates[i] * width, width).CopyTo(rows.AsSpan(i * width, width));
            }

            _candidateRows = rows;
        }

        return _candidateRows;
    }
}
