namespace PatternQuality.Scoring;

/// <summary>The arguments of <see cref="QualityModelHolder.Swapped"/>.</summary>
public sealed class QualityModelSwappedArguments : EventArgs
{
    /// <summary>Initializes a new instance of the <see cref="QualityModelSwappedArguments"/> class.</summary>
    /// <param name="previous">The model replaced, if any.</param>
    /// <param name="current">The model now in use.</param>
    public QualityModelSwappedArguments(IQualityModel? previous, IQualityModel current)
    {
        Previous = previous;
        Current = current;
    }

    /// <summary>Gets the model that was replaced, or <see langword="null"/>.</summary>
    public IQualityModel? Previous { get; }

    /// <summary>Gets the model now in use.</summary>
    public IQualityModel Current { get; }
}
