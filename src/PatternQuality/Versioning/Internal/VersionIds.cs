using System.Globalization;

namespace PatternQuality.Versioning.Internal;

/// <summary>Version identifiers that sort in save order as text: <c>v0001-20261123T190512Z</c>.</summary>
internal static class VersionIds
{
    /// <summary>The next id after the highest sequence among <paramref name="existing"/>.</summary>
    internal static string Next(IEnumerable<string> existing, DateTimeOffset now)
    {
        var max = 0;
        foreach (var v in existing)
        {
            var dash = v.IndexOf('-', StringComparison.Ordinal);
            if (v.Length > 1 && v[0] == 'v' && dash > 1
                && int.TryParse(v.AsSpan(1, dash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                max = Math.Max(max, seq);
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"v{max + 1:0000}-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}");
    }
}
