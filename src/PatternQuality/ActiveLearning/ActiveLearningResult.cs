namespace PatternQuality.ActiveLearning;

/// <summary>The learning curve of every strategy an <see cref="ActiveLearningSimulation"/> ran.</summary>
public sealed class ActiveLearningResult
{
    internal ActiveLearningResult(IReadOnlyDictionary<string, IReadOnlyList<LearningCurvePoint>> curves, int seeds)
    {
        Curves = curves;
        Seeds = seeds;
    }

    /// <summary>Gets each strategy's learning curve by name, points in increasing label count.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<LearningCurvePoint>> Curves { get; }

    /// <summary>Gets how many seeds each point averages.</summary>
    public int Seeds { get; }

    /// <summary>The fewest labels at which a strategy's mean test AUC reaches a target.</summary>
    /// <param name="strategy">A strategy name in <see cref="Curves"/>.</param>
    /// <param name="auc">The target AUC.</param>
    /// <returns>The label count, or <see langword="null"/> when the curve never reaches it.</returns>
    /// <exception cref="KeyNotFoundException">No curve has that name.</exception>
    public int? LabelsToReach(string strategy, double auc)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        if (!Curves.TryGetValue(strategy, out var curve))
        {
            throw new KeyNotFoundException($"No learning curve named '{strategy}'; the simulation ran {string.Join(", ", Curves.Keys)}.");
        }

        foreach (var point in curve)
        {
            if (point.Auc >= auc)
            {
                return point.Labels;
            }
        }

        return null;
    }
}
