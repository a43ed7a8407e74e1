namespace PatternQuality.Online;

/// <summary>Why an <see cref="UpdateTrigger"/> says an update is due.</summary>
public enum UpdateReason
{
    /// <summary>No update is due.</summary>
    None = 0,

    /// <summary>An update was asked for with <see cref="UpdateTrigger.RequestUpdate"/>.</summary>
    Requested = 1,

    /// <summary>At least <see cref="UpdateTriggerOptions.CountThreshold"/> records are waiting.</summary>
    Count = 2,

    /// <summary>The oldest waiting record has waited at least <see cref="UpdateTriggerOptions.MaximumAge"/>.</summary>
    Age = 3,
}
