namespace PatternQuality.Features;

/// <summary>How a column of a dictionary or CSV row becomes features (see <see cref="RowColumn"/>).</summary>
public enum RowColumnKind
{
    /// <summary>A number in invariant culture; empty, unparseable, NaN and infinite values are missing.</summary>
    Numeric = 0,

    /// <summary>true/false, yes/no, y/n or 1/0 (any case); anything else is missing.</summary>
    Boolean = 1,

    /// <summary>A string mapped to a category index; unseen values map to the unknown slot.</summary>
    Categorical = 2,

    /// <summary>A time (unix seconds or ISO 8601), expanded to hour of day, day of week and weekend features.</summary>
    Timestamp = 3,

    /// <summary>A key whose earlier feedback gives the <c>.history.rate</c> and <c>.history.count</c> features.</summary>
    History = 4,
}
