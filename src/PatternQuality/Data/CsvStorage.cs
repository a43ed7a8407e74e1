namespace PatternQuality.Data;

/// <summary>How a <see cref="CsvTable"/> may keep a column.</summary>
internal enum CsvStorage
{
    /// <summary>Raw text, exactly as read.</summary>
    Text,

    /// <summary>float when every sampled value is a number (a feature column), text otherwise.</summary>
    Float,

    /// <summary>double when every sampled value is a number (times and labels need the precision), text otherwise.</summary>
    Double,
}
