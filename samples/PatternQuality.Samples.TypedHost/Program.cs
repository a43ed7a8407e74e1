using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Hosting;
using PatternQuality.Scoring;
using PatternQuality.Storage;

var builder = WebApplication.CreateBuilder(args);

// 1. Describe the features once. Scoring uses no reflection. Declared categories lay out the same vectors at every
//    start; values outside them map to an "unknown" slot (no one-hot encoding needed).
var extractor = new FeatureExtractorBuilder<Suggestion>()
    .Categorical("genre", s => s.Genre, Suggestion.Genres)
    .Numeric("year", s => s.Year)           // null/NaN/Infinity are "missing", routed by a learned default
    .Timestamp("shown", s => s.ShownAt)     // hour of day (sin/cos), day of week, weekend flag
    .History("user", s => s.UserId)         // the user's smoothed approval rate and count, from earlier feedback only
    .History("item", s => s.ItemId)
    .Build();

// 2. One call runs the lifecycle: load the active version with its history at start (or train the first one once
//    enough feedback exists), learn between retrains, retrain nightly through the quality gate, follow promotions
//    and rollbacks made by anyone. Models and the fsync'd feedback log live in one directory.
var store = new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = builder.Configuration["ModelStore"] ?? "models" });
builder.Services.AddPatternQuality<Suggestion>()
    .UseFeatureExtractor(extractor)
    .UseModelStore(store)
    .UseDurableFeedbackLog()
    .UseIncrementalLearning()
    .AddHostedLifecycle(o => o.RetrainSchedule = "0 3 * * *");
builder.Services.AddHealthChecks();

var app = builder.Build();

// 3. Feedback: 202 only once it is on disk; the learner picks it up within its update trigger.
app.MapPost("/feedback", async (UserFeedback[] feedback, FeedbackIngestion<Suggestion> ingestion, CancellationToken ct) =>
{
    var records = feedback.Select(f => new FeedbackRecord<Suggestion>(
        f.Id, 0, f.Suggestion, f.Approved ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected, f.At) { UserId = f.Suggestion.UserId });
    var result = await ingestion.SubmitAsync(records.ToArray(), ct);
    return Results.Accepted(value: new { accepted = result.Accepted.Count, duplicates = result.Duplicates });
});

// 4. Score and rank on request threads: calibrated P(approve); models swap atomically underneath.
app.MapPost("/score", (Suggestion[] suggestions, PatternScorer<Suggestion> scorer) => scorer.Score(suggestions));
app.MapPost("/rank", (Suggestion[] candidates, PatternScorer<Suggestion> scorer) => scorer.Rank(candidates, top: 3));

// 5. Say why (exact TreeSHAP, cheap enough per request): the features that pushed this score up or down.
app.MapPost("/explain", (Suggestion suggestion, PatternScorer<Suggestion> scorer, QualityModelHolder models) =>
    models.Current is null ? Results.StatusCode(503) : Results.Ok(scorer.Explain(suggestion, top: 3).Reason));

// 6. Operations: a gated retrain on demand (the schedule does the same), and health (Unhealthy until a model exists).
app.MapPost("/retrain", async (PatternQualityHostedService<Suggestion> lifecycle, CancellationToken ct) =>
    await lifecycle.RetrainAsync("requested", ct) is { } proposal
        ? Results.Ok(new { version = proposal.Version.Version, promoted = proposal.Promoted, reason = proposal.Decision.Reason })
        : Results.Conflict("a training is already running"));
app.MapHealthChecks("/health");

app.Run();

/// <summary>A suggestion the app showed a user: here an item (a movie) of a genre.</summary>
public sealed record Suggestion(string UserId, string ItemId, string? Genre, double? Year, DateTimeOffset ShownAt)
{
    /// <summary>The genres the app knows.</summary>
    public static readonly string[] Genres =
    [
        "Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir",
        "Horror", "IMAX", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ];
}

/// <summary>A user's answer to a suggestion, as the app posts it.</summary>
public sealed record UserFeedback(string Id, Suggestion Suggestion, bool Approved, DateTimeOffset At);
