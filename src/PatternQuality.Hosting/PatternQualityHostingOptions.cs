using System.ComponentModel.DataAnnotations;
using Cronos;
using Microsoft.Extensions.Options;
using PatternQuality.Hosting.Internal;
using PatternQuality.Storage.Sqlite.Internal;

namespace PatternQuality.Hosting;

/// <summary>Settings of the hosted lifecycle registered by <c>AddHostedLifecycle</c>.</summary>
/// <remarks>
/// Validated by the source-generated <see cref="PatternQualityHostingOptionsValidator"/> when the host starts
/// (<c>ValidateOnStart</c>), and by the same validator in the constructors of <see cref="PatternQualityHostedService{TPattern}"/>
/// and <see cref="PatternQualityHealthCheck"/> when used without a container: every problem in one
/// <see cref="OptionsValidationException"/>.
/// </remarks>
public class PatternQualityHostingOptions
{
    /// <summary>Gets or sets how many feedback records must exist before the first model is trained (until then every pattern gets the default score).</summary>
    /// <value>The default value is 200. Allowed: 10 to 100,000,000.</value>
    [Range(10, 100_000_000)]
    public int MinimumFeedbackForFirstTraining { get; set; } = 200;

    /// <summary>Gets or sets the cron expression (five fields, UTC) of scheduled full retrains; <see langword="null"/> for none.</summary>
    /// <value>The default value is <see langword="null"/>. For example <c>0 3 * * *</c> retrains every night at 03:00 UTC.</value>
    [CronSchedule]
    public string? RetrainSchedule { get; set; }

    /// <summary>Gets or sets whether a drift alarm of the incremental learner starts a full retrain (proposed through the gate).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RetrainOnDrift { get; set; } = true;

    /// <summary>Gets or sets the age of the served model above which the health check reports Degraded.</summary>
    /// <value>The default value is 7 days. Allowed: 1 minute to 365 days.</value>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan MaximumModelAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Gets or sets how often the host checks the store for a version activated by another process (without a learner; the learner checks on its own).</summary>
    /// <value>The default value is 1 second. Allowed: 100 ms to 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:05:00")]
    public TimeSpan ActiveVersionPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the file name of the durable feedback log inside the model store's directory.</summary>
    /// <value>The default value is <c>feedback.log</c>.</value>
    [Required]
    [PlainFileName]
    public string FeedbackLogFileName { get; set; } = "feedback.log";

    /// <summary>Gets or sets the SQLite database file that holds models and feedback when the host configures no model store.</summary>
    /// <value>
    /// The default value is <see langword="null"/>: <c>patternquality.db</c> in the host's content root
    /// (<c>IHostEnvironment.ContentRootPath</c>, the current directory without one). A relative path is resolved against
    /// the content root. Ignored when the host registers its own model store (<c>UseModelStore</c>, <c>UseSqlite</c>, ...).
    /// </value>
    [DatabaseFilePath]
    public string? DatabasePath { get; set; }

    /// <summary>Checks these options with the validator a host runs at start.</summary>
    /// <exception cref="OptionsValidationException">One or more settings are out of range, listed all at once.</exception>
    public void Validate()
    {
        var result = new PatternQualityHostingOptionsValidator().Validate(Options.DefaultName, this);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(PatternQualityHostingOptions), result.Failures);
        }
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

/// <summary>Checks the data annotations of <see cref="PatternQualityHostingOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class PatternQualityHostingOptionsValidator : IValidateOptions<PatternQualityHostingOptions>;
