using System.Globalization;

namespace PatternQuality.Tests.TestUtils;

/// <summary>The MovieLens-small files read once, as the MovieLens test fixtures need them.</summary>
internal static class MovieLensFiles
{
    private static readonly Lazy<IReadOnlyDictionary<string, (string Genre, double? Year)>> _movies = new(ReadMovies);

    /// <summary>Gets each movie's first genre and release year (from the title's "(1995)"), by movie id.</summary>
    public static IReadOnlyDictionary<string, (string Genre, double? Year)> Movies => _movies.Value;

    /// <summary>Returns the earliest <paramref name="count"/> ratings, in time order (ties in file order): userId, movieId, rating, timestamp.</summary>
    public static IEnumerable<string[]> EarliestRatings(int count) =>
        File.ReadLines(SharedData.MovieLensRatings).Skip(1).Select(l => l.Split(','))
            .OrderBy(p => long.Parse(p[3], CultureInfo.InvariantCulture)).Take(count);

    private static Dictionary<string, (string Genre, double? Year)> ReadMovies()
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

        return movies;
    }
}
