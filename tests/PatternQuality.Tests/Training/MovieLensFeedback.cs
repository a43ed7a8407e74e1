using System.Globalization;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Training;

/// <summary>A MovieLens rating shown as a suggestion: approved when the user rated the movie 4 stars or more.</summary>
internal sealed record MovieSuggestion(string User, string Movie, string Genre, double? Year);

/// <summary>Real MovieLens ratings (the first users of ratings.csv) turned into feedback records, with a fluent extractor.</summary>
internal static class MovieLensFeedback
{
    private static readonly Lazy<FeedbackRecord<MovieSuggestion>[]> _records = new(Read);

    /// <summary>Gets the feedback of the earliest 4,000 ratings, in time order, sequence = position.</summary>
    public static IReadOnlyList<FeedbackRecord<MovieSuggestion>> Records => _records.Value;

    public static InMemoryFeedbackSource<MovieSuggestion> CreateSource()
    {
        var source = new InMemoryFeedbackSource<MovieSuggestion>();
        foreach (var r in Records)
        {
            source.Add(r);
        }

        return source;
    }

    /// <summary>Genre and year as features, plus the user's and the movie's approval rate so far (causal history).</summary>
    public static FeatureExtractor<MovieSuggestion> CreateExtractor() => new FeatureExtractorBuilder<MovieSuggestion>()
        .Categorical("genre", s => s.Genre)
        .Numeric("year", s => s.Year)
        .History("user", s => s.User)
        .History("movie", s => s.Movie)
        .Fit(Records.Select(r => r.Pattern));

    private static FeedbackRecord<MovieSuggestion>[] Read()
    {
        var movies = MovieLensFiles.Movies;

        // The earliest 4,000 ratings of the whole file: users rate many movies in a session, so a user's earlier
        // ratings say something about the later ones in the test period.
        var earliest = MovieLensFiles.EarliestRatings(4000);
        return earliest.Select((p, i) =>
        {
            var (genre, year) = movies[p[1]];
            var rating = double.Parse(p[2], CultureInfo.InvariantCulture);
            var time = DateTimeOffset.FromUnixTimeSeconds(long.Parse(p[3], CultureInfo.InvariantCulture));
            return new FeedbackRecord<MovieSuggestion>(
                "ml-" + i.ToString(CultureInfo.InvariantCulture), i, new MovieSuggestion(p[0], p[1], genre, year), rating >= 4 ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected, time)
            {
                UserId = p[0],
            };
        }).ToArray();
    }
}
