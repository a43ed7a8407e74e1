namespace PatternQuality.Tests.TestUtils;

/// <summary>Locates the real datasets in ../shared/data (never copied into the repository).</summary>
internal static class SharedData
{
    private static readonly Lazy<string> _root = new(FindRoot);

    public static string Root => _root.Value;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string Coupon => Path("in-vehicle-coupon", "in-vehicle-coupon-recommendation.csv");

    public static string Bank => Path("bank-marketing", "bank-additional-full.csv");

    public static string MovieLensRatings => Path("movielens-latest-small", "ratings.csv");

    public static string MovieLensMovies => Path("movielens-latest-small", "movies.csv");

    public static string BinaryTrain => Path("lightgbm-examples", "binary_classification", "binary.train");

    public static string BinaryTest => Path("lightgbm-examples", "binary_classification", "binary.test");

    public static string RankTrain => Path("lightgbm-examples", "lambdarank", "rank.train");

    public static string RankTrainQuery => Path("lightgbm-examples", "lambdarank", "rank.train.query");

    private static string FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("PATTERNQUALITY_SHARED_DATA");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env))
        {
            return env;
        }

        // Walk up from the test binaries to the folder that holds both the repository and shared/.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            "The shared datasets were not found: expected a 'shared/data' folder beside the repository, or PATTERNQUALITY_SHARED_DATA.");
    }
}
