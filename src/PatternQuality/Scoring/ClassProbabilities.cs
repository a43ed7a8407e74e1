namespace PatternQuality.Scoring;

/// <summary>
/// The calibrated probability of every class for one pattern, as <see cref="PatternScorer{TPattern}.PredictClasses(TPattern)"/>
/// returns it, with the most probable class and its confidence.
/// </summary>
/// <remarks>Immutable. The probabilities are in class-index order (the model's <see cref="MulticlassQualityModel.ClassNames"/>) and sum to 1.</remarks>
public sealed class ClassProbabilities
{
    private readonly float[] _probabilities;
    private readonly IReadOnlyList<string> _classNames;

    internal ClassProbabilities(IReadOnlyList<string> classNames, float[] probabilities)
    {
        _classNames = classNames;
        _probabilities = probabilities;
        var best = 0;
        for (var c = 1; c < probabilities.Length; c++)
        {
            if (probabilities[c] > probabilities[best])
            {
                best = c;
            }
        }

        Top = new ClassPrediction(best, classNames[best], probabilities[best]);
    }

    /// <summary>Gets the class names, in class-index order.</summary>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>Gets the calibrated probability of each class, in class-index order.</summary>
    public IReadOnlyList<float> Probabilities => _probabilities;

    /// <summary>Gets the most probable class (the lowest index among ties) and its probability.</summary>
    public ClassPrediction Top { get; }

    /// <summary>Gets the probability of the class with this name.</summary>
    /// <param name="className">A class name of the model.</param>
    /// <returns>The class's calibrated probability.</returns>
    /// <exception cref="KeyNotFoundException">The model has no class of that name; the message lists its classes.</exception>
    public float this[string className]
    {
        get
        {
            for (var c = 0; c < _classNames.Count; c++)
            {
                if (string.Equals(_classNames[c], className, StringComparison.Ordinal))
                {
                    return _probabilities[c];
                }
            }

            throw new KeyNotFoundException($"The model has no class '{className}'; its classes are {string.Join(", ", _classNames)}.");
        }
    }
}
