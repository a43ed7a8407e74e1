namespace PatternQuality.Versioning;

/// <summary>The keys under which the version manager records facts in <see cref="Storage.ModelMetadata.Properties"/>.</summary>
public static class ModelPropertyNames
{
    /// <summary>The informational version of the PatternQuality library that saved the model.</summary>
    public const string LibraryVersion = "pq.libraryVersion";

    /// <summary>The learner that built the model (for example <c>gbdt</c>).</summary>
    public const string Trainer = "pq.trainer";

    /// <summary>The prefix of the trainer's options: <c>pq.trainer.NumberOfTrees</c> and so on.</summary>
    public const string TrainerOptionPrefix = "pq.trainer.";

    /// <summary>When the version last became active (ISO 8601, UTC).</summary>
    public const string ActivatedAt = "pq.activatedAt";

    /// <summary>Why the version last became active.</summary>
    public const string ActivationReason = "pq.activationReason";

    /// <summary>The version that was active before this one was activated: where a rollback goes.</summary>
    public const string PreviousActive = "pq.previousActive";

    /// <summary>When and why this version was rolled back from, if it was.</summary>
    public const string RolledBack = "pq.rolledBack";

    /// <summary>The champion a proposed candidate was compared with (absent when none was active): the version it replaced if promoted.</summary>
    public const string PromotionChampion = "pq.promotion.champion";

    /// <summary>The prefix of the quality gate's evidence: <c>pq.promotion.candidateAuc</c> and so on.</summary>
    public const string PromotionPrefix = "pq.promotion.";
}
