using System.Globalization;
using System.Text;

namespace PatternQuality.Tests.TestUtils;

/// <summary>One MovieLens rating as a three-class example: what was rated, when, and the rating's level.</summary>
internal sealed record MovieRating(string Genre, double? Year, int Hour, string Weekday, string Level);

/// <summary>
/// Real MovieLens-small ratings bucketed low (&lt;= 2.5) / medium (3-3.5) / high (&gt;= 4), as the multiclass
/// target does (docs/multiclass.md), with the movie's first genre and release year and the hour and weekday (UTC) of the rating.
/// </summary>
internal static class MovieLensThreeClass
{
    public static readonly string[] Classes = ["low", "medium", "high"];

    private static readonly Lazy<MovieRating[]> _rows = new(Read);

    /// <summary>Gets the earliest 6,000 ratings of the file, in time order.</summary>
    public static IReadOnlyList<MovieRating> Rows => _rows.Value;

    /// <summary>Writes <see cref="Rows"/> as a CSV file with a <c>level</c> label column.</summary>
    public static string Csv()
    {
        var sb = new StringBuilder("genre,year,hour,weekday,level\n");
        foreach (var r in Rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{r.Genre},{r.Year},{r.Hour},{r.Weekday},{r.Level}\n");
        }

        return sb.ToString();
    }

    private static MovieRating[] Read()
    {
        var movies = MovieLensFiles.Movies;

        return MovieLensFiles.EarliestRatings(6000)
            .Select(p =>
            {
                var (genre, year) = movies[p[1]];
                var rating = double.Parse(p[2], CultureInfo.InvariantCulture);
                var time = DateTimeOffset.FromUnixTimeSeconds(long.Parse(p[3], CultureInfo.InvariantCulture));
                var level = rating <= 2.5 ? "low" : rating < 4 ? "medium" : "high";
                return new MovieRating(genre, year, time.Hour, time.DayOfWeek.ToString()[..3], level);
            }).ToArray();
    }
}
