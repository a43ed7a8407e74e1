namespace PatternQuality.Training;

/// <summary>The learner <see cref="QualityTrainer"/> fits.</summary>
public enum TrainerKind
{
    /// <summary>Gradient-boosted decision trees (<see cref="Trees.GradientBoostingLearner"/>); the default.</summary>
    Gbdt = 0,

    /// <summary>A random forest (<see cref="Trees.RandomForestLearner"/>).</summary>
    Forest = 1,
}
