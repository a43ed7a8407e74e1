namespace PatternQuality.Versioning.Internal;

/// <summary>Checks a holdout before any metric reads it, so bad input fails with a message naming the array and row.</summary>
internal static class HoldoutValidation
{
    /// <summary>Throws unless the three arrays have one entry per row, labels are 0 or 1 and scores are probabilities.</summary>
    /// <returns>The number of positive and negative rows.</returns>
    internal static (int Positives, int Negatives) Check(ReadOnlySpan<float> labels, ReadOnlySpan<float> championScores, ReadOnlySpan<float> candidateScores)
    {
        if (labels.IsEmpty)
        {
            throw new ArgumentException("The holdout is empty: labels has no rows.", nameof(labels));
        }

        if (championScores.Length != labels.Length)
        {
            throw new ArgumentException($"championScores has {championScores.Length} entries but labels has {labels.Length}; score the same holdout rows with both models.", nameof(championScores));
        }

        if (candidateScores.Length != labels.Length)
        {
            throw new ArgumentException($"candidateScores has {candidateScores.Length} entries but labels has {labels.Length}; score the same holdout rows with both models.", nameof(candidateScores));
        }

        var positives = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0f or 1f))
            {
                throw new ArgumentException($"labels[{i}] is {labels[i]}; holdout labels must be 0 (rejected) or 1 (approved).", nameof(labels));
            }

            positives += labels[i] == 1f ? 1 : 0;
            CheckScore(championScores[i], i, nameof(championScores));
            CheckScore(candidateScores[i], i, nameof(candidateScores));
        }

        return (positives, labels.Length - positives);
    }

    private static void CheckScore(float score, int row, string name)
    {
        if (!(score is >= 0f and <= 1f))
        {
            throw new ArgumentException($"{name}[{row}] is {score}; scores must be probabilities between 0 and 1.", name);
        }
    }
}
