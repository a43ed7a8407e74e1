namespace PatternQuality.Samples.Tests;

/// <summary>The README's Quick start is the sample's Program.cs, so CI compiles (and these tests run) the README's code.</summary>
public sealed class ReadmeQuickStartTests
{
    [Fact]
    public void QuickStart_IsTheSampleProgramVerbatim()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        var program = File.ReadAllText(Path.Combine(root, "samples", "PatternQuality.Samples.TypedHost", "Program.cs")).ReplaceLineEndings("\n");

        var heading = readme.IndexOf("\n## Quick start (C#)\n", StringComparison.Ordinal);
        Assert.True(heading >= 0, "README.md has no '## Quick start (C#)' section");
        var open = readme.IndexOf("```csharp\n", heading, StringComparison.Ordinal);
        var nextSection = readme.IndexOf("\n## ", heading + 1, StringComparison.Ordinal);
        Assert.True(open >= 0 && (nextSection < 0 || open < nextSection), "the Quick start section has no ```csharp block");
        var start = open + "```csharp\n".Length;
        var end = readme.IndexOf("\n```\n", start, StringComparison.Ordinal);

        Assert.Equal(program.TrimEnd('\n'), readme[start..end]);
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PatternQuality.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("PatternQuality.sln was not found above the test binaries.");
    }
}
