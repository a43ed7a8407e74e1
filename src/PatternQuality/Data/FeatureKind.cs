namespace PatternQuality.Data;

/// <summary>How a feature's float value is to be read by a learner.</summary>
public enum FeatureKind
{
    /// <summary>A real number; <see cref="float.NaN"/> means missing.</summary>
    Numeric = 0,

    /// <summary>0 or 1; <see cref="float.NaN"/> means missing.</summary>
    Boolean = 1,

    /// <summary>
    /// A category index into <see cref="FeatureDefinition.Categories"/>. Index 0 is the reserved "unknown" slot
    /// that unseen values map to; <see cref="float.NaN"/> means missing.
    /// </summary>
    Categorical = 2,
}
