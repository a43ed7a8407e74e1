using System.Globalization;
using Cronos;

namespace PatternQuality.Hosting;

/// <summary>Settings of the hosted lifecycle registered by <c>AddHostedLifecycle</c>.</summary>
/// <remarks>Validated when the host starts (<c>ValidateOnStart</c>); <see cref="Validate"/> lists every problem.</remarks>
public sealed class PatternQualityHostingOptions
{
    /// <summary>Gets or sets how many feedback records must exist before the first model is trained (until then every pattern gets the default score).</summary>
    /// <value>The default value is 200. Allowed: 10 to 100,000,000.</value>
    public int MinimumFeedbackForFirstTraining { get; set; } = 200;

    /// <summary>Gets or sets the cron expression (five fields, UTC) of scheduled full retrains; <see langword="null"/> for none.</summary>
    /// <value>The default value is <see langword="null"/>. For example <c>0 3 * * *</c> retrains every night at 03:00 UTC.</value>
    public string? RetrainSchedule { get; set; }

    /// <summary>Gets or sets whether a drift alarm of the incremental learner starts a full retrain (proposed through the gate).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RetrainOnDrift { get; set; } = true;

    /// <summary>Gets or sets the age of the served model above which the health check reports Degraded.</summary>
    /// <value>The default value is 7 days. Allowed: 1 minute to 365 days.</value>
    public TimeSpan MaximumModelAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Gets or sets how often the host checks the store for a version activated by another process (without a learner; the learner checks on its own).</summary>
    /// <value>The default value is 1 second. Allowed: 100 ms to 5 minutes.</value>
    public TimeSpan ActiveVersionPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the file name of the durable feedback log inside the model store's directory.</summary>
    /// <value>The default value is <c>feedback.log</c>.</value>
    public string FeedbackLogFileName { get; set; } = "feedback.log";

    /// <summary>Gets or sets the SQLite database file that holds models and feedback when the host configures no model store.</summary>
    /// <value>
    /// The default value is <see langword="null"/>: <c>patternquality.db</c> in the host's content root
    /// (<c>IHostEnvironment.ContentRootPath</c>, the current directory without one). A relative path is resolved against
    /// the content root. Ignored when the host registers its own model store (<c>UseModelStore</c>, <c>UseSqlite</c>, ...).
    /// </value>
    public string? DatabasePath { get; set; }

    /// <summary>Lists every problem with these options.</summary>
    /// <returns>One message per problem, naming the option and its allowed range; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MinimumFeedbackForFirstTraining is < 10 or > 100_000_000)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(MinimumFeedbackForFirstTraining)} is {MinimumFeedbackForFirstTraining}; allowed: 10 to 100,000,000."));
        }

        if (RetrainSchedule is not null && TryParseSchedule(RetrainSchedule, out var why) is null)
        {
            errors.Add($"{nameof(RetrainSchedule)} '{RetrainSchedule}' is not a cron expression of five fields ({why}).");
        }

        if (MaximumModelAge < TimeSpan.FromMinutes(1) || MaximumModelAge > TimeSpan.FromDays(365))
        {
            errors.Add($"{nameof(MaximumModelAge)} is {MaximumModelAge}; allowed: 1 minute to 365 days.");
        }

        if (ActiveVersionPollInterval < TimeSpan.FromMilliseconds(100) || ActiveVersionPollInterval > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{nameof(ActiveVersionPollInterval)} is {ActiveVersionPollInterval}; allowed: 100 ms to 5 minutes.");
        }

        if (string.IsNullOrWhiteSpace(FeedbackLogFileName) || FeedbackLogFileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || FeedbackLogFileName.Contains('/', StringComparison.Ordinal))
        {
            errors.Add($"{nameof(FeedbackLogFileName)} '{FeedbackLogFileName}' is not a plain file name.");
        }

        if (DatabasePath is not null && (string.IsNullOrWhiteSpace(DatabasePath) || DatabasePath.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || DatabasePath.StartsWith(':') || DatabasePath.Contains('?', StringComparison.Ordinal)))
        {
            errors.Add($"{nameof(DatabasePath)} '{DatabasePath}' is not a file path.");
        }

        return errors;
    }

    internal static CronExpression? TryParseSchedule(string schedule, out string why)
    {
        try
        {
            why = string.Empty;
            return CronExpression.Parse(schedule, CronFormat.Standard);
        }
        catch (CronFormatException ex)
        {
            why = ex.Message;
            return null;
        }
    }
}
