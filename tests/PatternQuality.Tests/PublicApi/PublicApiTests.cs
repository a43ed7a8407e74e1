using System.Text.RegularExpressions;

namespace PatternQuality.Tests.PublicApi;

/// <summary>
/// Rules on the shape of the public surface that PublicApiAnalyzers (which tracks the surface itself, in
/// src/PatternQuality/PublicAPI.*.txt) does not check.
/// </summary>
public partial class PublicApiTests
{
    [Fact]
    public void PublicTypes_Concrete_AreSealedUnlessOptionsOrDesignedForExtension()
    {
        var unsealed = typeof(PatternQualityException).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract)
            .Where(t => !t.Name.EndsWith("Options", StringComparison.Ordinal) && !typeof(Exception).IsAssignableFrom(t))
            .Select(t => t.FullName)
            .ToArray();
        Assert.True(unsealed.Length == 0, "Unsealed public classes: " + string.Join(", ", unsealed));
    }

    [Fact]
    public void PublicApiFiles_ListTheCoreAssembly()
    {
        // Guards the analyzer wiring: an empty or missing file would make RS0016 the only line of defence.
        var dir = SourceDirectory();
        var unshipped = File.ReadAllLines(Path.Combine(dir, "PublicAPI.Unshipped.txt"));
        var shipped = File.ReadAllLines(Path.Combine(dir, "PublicAPI.Shipped.txt"));
        Assert.Equal("#nullable enable", shipped[0]);
        Assert.Contains(unshipped.Concat(shipped), l => l.StartsWith("PatternQuality.Scoring.PatternScorer<TPattern>", StringComparison.Ordinal));
        Assert.DoesNotContain(unshipped, l => ConflictMarker().IsMatch(l));
    }

    private static string SourceDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "PatternQuality");
            if (File.Exists(Path.Combine(candidate, "PublicAPI.Shipped.txt")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("src/PatternQuality/PublicAPI.Shipped.txt not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("^(<<<<<<<|=======|>>>>>>>)")]
    private static partial Regex ConflictMarker();
}
