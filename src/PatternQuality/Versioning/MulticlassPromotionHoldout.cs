using PatternQuality.Storage;

namespace PatternQuality.Versioning;

/// <summary>
/// The fresh holdout a multiclass candidate is judged on: the class of each row, the candidate's class probabilities,
/// and the ability to score the same rows with whichever version is champion when the decision is taken.
/// </summary>
/// <remarks>
/// <see cref="ModelVersionManager.ProposeMulticlassAsync"/> promotes the candidate when its multiclass log loss on
/// these rows is not above the champion's. <c>MulticlassTrainingResult</c>'s holdout (training) implements it.
/// </remarks>
public abstract class MulticlassPromotionHoldout
{
    /// <summary>Initializes a new instance of the <see cref="MulticlassPromotionHoldout"/> class.</summary>
    /// <param name="labels">The class index of each holdout row.</param>
    /// <param name="candidateProbabilities">The candidate's probabilities, <paramref name="classNames"/>.Count per row.</param>
    /// <param name="classNames">The candidate's class names, in class-index order; a champion with other classes is not comparable.</param>
    /// <exception cref="ArgumentException">The lengths disagree, fewer than two classes are named, or a label is not a class index.</exception>
    protected MulticlassPromotionHoldout(ReadOnlyMemory<float> labels, ReadOnlyMemory<float> candidateProbabilities, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count < 2 || candidateProbabilities.Length != labels.Length * classNames.Count)
        {
            throw new ArgumentException($"The holdout has {labels.Length} labels and {candidateProbabilities.Length} candidate probabilities for {classNames.Count} classes; it needs one probability per row and class.", nameof(candidateProbabilities));
        }

        foreach (var y in labels.Span)
        {
            if (!(y >= 0 && y < classNames.Count && y == MathF.Floor(y)))
            {
                throw new ArgumentException($"A holdout label is {y}; the classes are 0 to {classNames.Count - 1}.", nameof(labels));
            }
        }

        Labels = labels;
        CandidateProbabilities = candidateProbabilities;
        ClassNames = classNames;
    }

    /// <summary>Gets the class index of each holdout row.</summary>
    public ReadOnlyMemory<float> Labels { get; }

    /// <summary>Gets the candidate's probabilities, <see cref="ClassNames"/>.Count per row.</summary>
    public ReadOnlyMemory<float> CandidateProbabilities { get; }

    /// <summary>Gets the candidate's class names, in class-index order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Scores the holdout rows with a stored version, in the order of <see cref="Labels"/>, in the candidate's class order.</summary>
    /// <param name="champion">The champion's bytes and metadata, checksum verified.</param>
    /// <param name="cancellationToken">Cancels the scoring.</param>
    /// <returns>The champion's probabilities, <see cref="ClassNames"/>.Count per row.</returns>
    /// <exception cref="PatternQualityException">The version cannot score these rows (a binary model, other classes, other features, an unreadable file); the candidate is then recorded as not comparable.</exception>
    public abstract ReadOnlyMemory<float> ScoreChampion(StoredModel champion, CancellationToken cancellationToken);
}
