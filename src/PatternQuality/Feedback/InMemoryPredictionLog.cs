namespace PatternQuality.Feedback;

/// <summary>An <see cref="IPredictionLog"/> in process memory: for tests, demos and hosts that keep no history.</summary>
public sealed class InMemoryPredictionLog : IPredictionLog
{
    private readonly List<PredictionRecord> _predictions = [];

    /// <summary>Gets how many predictions the log holds.</summary>
    public int Count
    {
        get
        {
            lock (_predictions)
            {
                return _predictions.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task AppendAsync(IReadOnlyList<PredictionRecord> predictions, CancellationToken cancellationToken = default)
    {
        PredictionLogArguments.Check(predictions);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_predictions)
        {
            foreach (var prediction in predictions)
            {
                _predictions.Add(prediction with { WasCorrect = null });
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> ResolveAsync(IReadOnlyList<PredictionOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        var verdicts = PredictionLogArguments.FirstOutcomes(outcomes);
        cancellationToken.ThrowIfCancellationRequested();
        var resolved = 0;
        lock (_predictions)
        {
            for (var i = 0; i < _predictions.Count; i++)
            {
                var p = _predictions[i];
                if (p.WasCorrect is null && verdicts.TryGetValue(p.PatternId, out var outcome))
                {
                    _predictions[i] = p with { WasCorrect = p.PredictedApproved == (outcome == FeedbackOutcome.Approved) };
                    resolved++;
                }
            }
        }

        return Task.FromResult(resolved);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PredictionRecord>> ReadAsync(string patternId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(patternId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_predictions)
        {
            return Task.FromResult<IReadOnlyList<PredictionRecord>>(_predictions.Where(p => p.PatternId == patternId).ToArray());
        }
    }
}
