using System.Security.Cryptography;
using System.Text;

namespace PatternQuality.Data;

/// <summary>
/// The ordered, named and typed columns a feature extractor writes and a model reads. Immutable.
/// </summary>
/// <remarks>
/// <see cref="Hash"/> is stable across processes and library versions: it is a SHA-256 over the names, kinds and
/// category labels in order. A model records the hash of the schema it was trained on and refuses a vector laid out
/// by any other schema, naming the differences (see <see cref="EnsureCompatible"/>).
/// </remarks>
public sealed class FeatureSchema : IEquatable<FeatureSchema>
{
    private readonly FeatureDefinition[] _features;
    private readonly Dictionary<string, int> _indexByName;

    /// <summary>Initializes a new schema.</summary>
    /// <param name="features">The features, in vector order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentException">Two features share a name, or there are none.</exception>
    public FeatureSchema(IEnumerable<FeatureDefinition> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        _features = features.ToArray();
        if (_features.Length == 0)
        {
            throw new ArgumentException("A feature schema needs at least one feature.", nameof(features));
        }

        _indexByName = new Dictionary<string, int>(_features.Length, StringComparer.Ordinal);
        for (var i = 0; i < _features.Length; i++)
        {
            var f = _features[i] ?? throw new ArgumentNullException(nameof(features), $"Feature {i} is null.");
            if (!_indexByName.TryAdd(f.Name, i))
            {
                throw new ArgumentException($"Feature name '{f.Name}' appears more than once (positions {_indexByName[f.Name]} and {i}).", nameof(features));
            }
        }

        Hash = ComputeHash(_features);
    }

    /// <summary>Gets the features in vector order.</summary>
    public IReadOnlyList<FeatureDefinition> Features => _features;

    /// <summary>Gets the number of features, which is the length of every feature vector of this schema.</summary>
    public int Count => _features.Length;

    /// <summary>Gets the stable hash of this schema: 64 lower-case hex digits.</summary>
    public string Hash { get; }

    /// <summary>Gets the feature at a position.</summary>
    /// <param name="index">The position in the vector.</param>
    public FeatureDefinition this[int index] => (uint)index < (uint)_features.Length
        ? _features[index]
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"The schema has {_features.Length} features.");

    /// <summary>Finds the position of a feature by name.</summary>
    /// <param name="name">The feature name.</param>
    /// <returns>The position, or -1 when there is no such feature.</returns>
    public int IndexOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _indexByName.TryGetValue(name, out var i) ? i : -1;
    }

    /// <summary>Lists, in words, how <paramref name="other"/> differs from this schema.</summary>
    /// <param name="other">The schema to compare with.</param>
    /// <returns>One line per difference; empty when the schemas are equal.</returns>
    public IReadOnlyList<string> DescribeDifferences(FeatureSchema other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var diffs = new List<string>();
        foreach (var f in _features)
        {
            var j = other.IndexOf(f.Name);
            if (j < 0)
            {
                diffs.Add($"missing feature '{f.Name}'");
                continue;
            }

            var g = other._features[j];
            if (g.Kind != f.Kind)
            {
                diffs.Add($"feature '{f.Name}' is {g.Kind}, expected {f.Kind}");
            }
            else if (!f.Categories.SequenceEqual(g.Categories, StringComparer.Ordinal))
            {
                diffs.Add($"feature '{f.Name}' has categories [{Preview(g.Categories)}], expected [{Preview(f.Categories)}]");
            }

            if (j != IndexOf(f.Name))
            {
                diffs.Add($"feature '{f.Name}' is at position {j}, expected {IndexOf(f.Name)}");
            }
        }

        foreach (var g in other._features)
        {
            if (IndexOf(g.Name) < 0)
            {
                diffs.Add($"unexpected feature '{g.Name}'");
            }
        }

        return diffs;
    }

    /// <summary>Throws unless <paramref name="other"/> lays out vectors exactly as this schema does.</summary>
    /// <param name="other">The schema of the vectors about to be scored or learned from.</param>
    /// <exception cref="SchemaMismatchException">The schemas differ; the message names each difference.</exception>
    public void EnsureCompatible(FeatureSchema other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Hash == Hash)
        {
            return;
        }

        throw new SchemaMismatchException(Hash, other.Hash, DescribeDifferences(other));
    }

    /// <inheritdoc />
    public bool Equals(FeatureSchema? other) => other is not null && other.Hash == Hash;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FeatureSchema);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Hash);

    /// <inheritdoc />
    public override string ToString() => $"FeatureSchema({Count} features, {Hash[..12]})";

    private static string Preview(IReadOnlyList<string> categories)
        => categories.Count <= 6
            ? string.Join(", ", categories)
            : string.Join(", ", categories.Take(6)) + $", ... ({categories.Count} in all)";

    private static string ComputeHash(FeatureDefinition[] features)
    {
        // Length-prefixed UTF-8 fields, so no two different schemas serialize to the same bytes.
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write("PatternQuality.FeatureSchema/1");
            w.Write(features.Length);
            foreach (var f in features)
            {
                w.Write(f.Name);
                w.Write((int)f.Kind);
                w.Write(f.Categories.Count);
                foreach (var c in f.Categories)
                {
                    w.Write(c);
                }
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(ms.ToArray()));
    }
}
