namespace PatternQuality.ActiveLearning;

/// <summary>Chooses the candidates the current model is least sure about (uncertainty sampling).</summary>
public sealed class UncertaintyQueryStrategy : InformativenessQueryStrategy
{
    /// <summary>Initializes a new uncertainty strategy.</summary>
    /// <param name="measure">How probability becomes uncertainty.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="measure"/> is not defined.</exception>
    public UncertaintyQueryStrategy(UncertaintyMeasure measure = UncertaintyMeasure.LeastConfident)
    {
        if (!Enum.IsDefined(measure))
        {
            throw new ArgumentOutOfRangeException(nameof(measure), measure, "Unknown uncertainty measure.");
        }

        Measure = measure;
    }

    /// <summary>Gets how probability becomes uncertainty.</summary>
    public UncertaintyMeasure Measure { get; }

    /// <inheritdoc />
    public override string Name => Measure switch
    {
        UncertaintyMeasure.Margin => "margin",
        UncertaintyMeasure.Entropy => "entropy",
        _ => "least-confident",
    };

    /// <summary>The uncertainty of one probability under a measure.</summary>
    /// <param name="probability">The positive class's probability; values outside [0, 1] are clamped, NaN counts as 0.5.</param>
    /// <param name="measure">The measure.</param>
    /// <returns>A value in [0, 1]; 1 is a coin flip.</returns>
    public static double Uncertainty(double probability, UncertaintyMeasure measure)
    {
        var p = double.IsNaN(probability) ? 0.5 : Math.Clamp(probability, 0, 1);
        return measure switch
        {
            UncertaintyMeasure.Margin => 1 - Math.Abs((2 * p) - 1),
            UncertaintyMeasure.Entropy => Entropy(p),
            _ => 2 * (1 - Math.Max(p, 1 - p)), // scaled to [0, 1] like the others
        };
    }

    /// <inheritdoc />
    public override double[] Informativeness(QueryContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var probabilities = context.GetCandidateProbabilities();
        var result = new double[probabilities.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Uncertainty(probabilities[i], Measure);
        }

        return result;
    }

    private static double Entropy(double p)
    {
        if (p <= 0 || p >= 1)
        {
            return 0;
        }

        return -((p * Math.Log2(p)) + ((1 - p) * Math.Log2(1 - p)));
    }
}
