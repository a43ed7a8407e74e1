namespace PatternQuality.Cli.Demo;

/// <summary>The demo's knobs. The defaults are the README's run; tests shrink them.</summary>
internal sealed class DemoOptions
{
    public int Seed { get; init; } = 20261123;

    public int Users { get; init; } = 60;

    /// <summary>Gets the simulated days; tastes drift at half of them.</summary>
    public int Days { get; init; } = 42;

    public int FeedbackPerDay { get; init; } = 300;

    /// <summary>Gets how often (in days) a candidate is trained.</summary>
    public int RetrainEveryDays { get; init; } = 7;

    /// <summary>Gets how many days of training feedback a candidate sees: a window, so models can follow the drift.</summary>
    public int TrainingWindowDays { get; init; } = 14;

    /// <summary>Gets how many days of fresh feedback after training the gate compares champion and candidate on.</summary>
    public int GateDays { get; init; } = 3;

    /// <summary>Gets the day the broken feedback export happens (its candidate is forced live and rolled back); negative for none.</summary>
    public int IncidentDay { get; init; } = 24;

    /// <summary>Gets how many of the last days the final report scores the active model on.</summary>
    public int ReportDays { get; init; } = 5;

    public int Trees { get; init; } = 60;

    public int Leaves { get; init; } = 15;

    /// <summary>Gets the first simulated day (a Monday, so weeks read naturally).</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public void Validate()
    {
        var errors = new List<string>();
        Check(errors, Users >= 1, $"{nameof(Users)} is {Users}; it must be at least 1.");
        Check(errors, Days is >= 6 and <= 3650, $"{nameof(Days)} is {Days}; it must be between 6 and 3650.");
        Check(errors, FeedbackPerDay is >= 20 and <= 100_000, $"{nameof(FeedbackPerDay)} is {FeedbackPerDay}; it must be between 20 and 100000.");
        Check(errors, RetrainEveryDays >= 1, $"{nameof(RetrainEveryDays)} is {RetrainEveryDays}; it must be at least 1.");
        Check(errors, TrainingWindowDays >= 1, $"{nameof(TrainingWindowDays)} is {TrainingWindowDays}; it must be at least 1.");
        Check(errors, GateDays >= 1, $"{nameof(GateDays)} is {GateDays}; it must be at least 1.");
        Check(errors, ReportDays >= 1 && ReportDays < Days, $"{nameof(ReportDays)} is {ReportDays}; it must be between 1 and {Days - 1}.");
        Check(errors, Trees is >= 1 and <= 10_000, $"{nameof(Trees)} is {Trees}; it must be between 1 and 10000.");
        Check(errors, Leaves is >= 2 and <= 1024, $"{nameof(Leaves)} is {Leaves}; it must be between 2 and 1024.");
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid demo options: " + string.Join(" ", errors));
        }
    }

    private static void Check(List<string> errors, bool ok, string message)
    {
        if (!ok)
        {
            errors.Add(message);
        }
    }
}
