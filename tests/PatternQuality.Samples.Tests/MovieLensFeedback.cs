using System.Globalization;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Samples.Tests;

/// <summary>
/// Real MovieLens ratings as the sample app would post them: the earliest ratings of the whole file in time order,
/// each a suggested movie that the user approved when rating it 4 stars or more.
/// </summary>
internal static class MovieLensFeedback
{
    private static readonly Lazy<UserFeedback[]> _all = new(Read);

    /// <summary>Gets the earliest 3,000 ratings, in time order (ties in file order).</summary>
    public static IReadOnlyList<UserFeedback> All => _all.Value;

    private static UserFeedback[] Read()
    {
        var movies = new Dictionary<string, (string Genre, double? Year)>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(SharedData.MovieLensMovies).Skip(1))
        {
            // movieId,title,genres; titles may be quoted and contain commas, so split at the first and last comma.
            var first = line.IndexOf(',', StringComparison.Ordinal);
            var last = line.LastIndexOf(',');
            var title = line[(first + 1)..last].Trim('"').Trim();
            double? year = title.Length >= 6 && title[^1] == ')' && double.TryParse(title[^5..^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var y) ? y : null;
            movies[line[..first]] = (line[(last + 1)..].Split('|')[0], year);
        }

        return File.ReadLines(SharedData.MovieLensRatings).Skip(1).Select(l => l.Split(','))
            .OrderBy(p => long.Parse(p[3], CultureInfo.InvariantCulture))
            .Take(3000)
            .Select(p =>
            {
                var (genre, year) = movies[p[1]];
                var at = DateTimeOffset.FromUnixTimeSeconds(long.Parse(p[3], CultureInfo.InvariantCulture));
                var approved = double.Parse(p[2], CultureInfo.InvariantCulture) >= 4;
                return new UserFeedback($"u{p[0]}-m{p[1]}", new Suggestion(p[0], p[1], genre, year, at), approved, at);
            })
            .ToArray();
    }
}
