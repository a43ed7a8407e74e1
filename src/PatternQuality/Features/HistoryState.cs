using System.Runtime.InteropServices;
using System.Text;

namespace PatternQuality.Features;

/// <summary>
/// The running approval counts behind history features: for each history feature, how much feedback each key
/// (a user, a pattern type, any categorical value) has received and how much of it was approved.
/// </summary>
/// <remarks>
/// Thread-safe: scoring threads read while an updater calls <see cref="Observe"/>. The state is serializable with
/// <see cref="WriteTo"/> and <see cref="ReadFrom"/> so it can travel with a model version; the format holds no type
/// names, only a magic signature, a version and the counts.
/// </remarks>
public sealed class HistoryState
{
    // Format history: 1 = magic "PQHS", version, tables (name, global counts, keys sorted ordinally with counts).
    private const int CurrentVersion = 1;
    private static readonly byte[] _magic = "PQHS"u8.ToArray();

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Table> _tables = new(StringComparer.Ordinal);

    /// <summary>Gets the names of the history features that have observed anything, in ordinal order.</summary>
    public IReadOnlyList<string> Features
    {
        get
        {
            lock (_gate)
            {
                var names = _tables.Keys.ToArray();
                Array.Sort(names, StringComparer.Ordinal);
                return names;
            }
        }
    }

    /// <summary>Records one piece of feedback for a key of a history feature.</summary>
    /// <param name="feature">The history feature name (as given to <c>History(...)</c>).</param>
    /// <param name="key">The key value; <see langword="null"/> only counts towards the global rate.</param>
    /// <param name="label">1 for approved, 0 for rejected (values in between count fractionally).</param>
    /// <param name="weight">The sample weight.</param>
    /// <exception cref="ArgumentException"><paramref name="feature"/> is empty, or the label or weight is out of range.</exception>
    public void Observe(string feature, string? key, float label, float weight = 1f)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(feature);
        if (!float.IsFinite(label) || label < 0 || label > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(label), label, $"History feature '{feature}': the label must be in [0, 1].");
        }

        if (!float.IsFinite(weight) || weight < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"History feature '{feature}': the weight must be finite and >= 0.");
        }

        lock (_gate)
        {
            if (!_tables.TryGetValue(feature, out var table))
            {
                table = new Table();
                _tables.Add(feature, table);
            }

            table.GlobalApproved += label * weight;
            table.GlobalCount += weight;
            if (key is not null)
            {
                ref var counts = ref CollectionsMarshal.GetValueRefOrAddDefault(table.Keys, key, out _);
                counts.Approved += label * weight;
                counts.Count += weight;
            }
        }
    }

    /// <summary>Reads the counts of one key.</summary>
    /// <param name="feature">The history feature name.</param>
    /// <param name="key">The key value.</param>
    /// <param name="approved">The weighted number of approvals.</param>
    /// <param name="count">The weighted number of records.</param>
    /// <returns><see langword="true"/> when the key has been observed.</returns>
    public bool TryGetCounts(string feature, string key, out double approved, out double count)
    {
        ArgumentNullException.ThrowIfNull(feature);
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (_tables.TryGetValue(feature, out var table) && table.Keys.TryGetValue(key, out var c))
            {
                approved = c.Approved;
                count = c.Count;
                return true;
            }
        }

        approved = 0;
        count = 0;
        return false;
    }

    /// <summary>Reads the counts over every key of a history feature.</summary>
    /// <param name="feature">The history feature name.</param>
    /// <param name="approved">The weighted number of approvals.</param>
    /// <param name="count">The weighted number of records.</param>
    public void GetGlobalCounts(string feature, out double approved, out double count)
    {
        ArgumentNullException.ThrowIfNull(feature);
        lock (_gate)
        {
            if (_tables.TryGetValue(feature, out var table))
            {
                approved = table.GlobalApproved;
                count = table.GlobalCount;
                return;
            }
        }

        approved = 0;
        count = 0;
    }

    /// <summary>Computes the smoothed approval rate and the count of a key, as history features report them.</summary>
    /// <param name="feature">The history feature name.</param>
    /// <param name="key">The key value.</param>
    /// <param name="smoothing">The prior's weight m in <c>(approved + prior * m) / (count + m)</c>; the prior is the global rate so far (0.5 before any feedback).</param>
    /// <param name="rate">The smoothed rate.</param>
    /// <param name="count">The weighted count of the key's feedback.</param>
    public void GetRate(string feature, string key, double smoothing, out double rate, out double count)
    {
        ArgumentNullException.ThrowIfNull(feature);
        ArgumentNullException.ThrowIfNull(key);
        double approved = 0, n = 0, gA = 0, gN = 0;
        lock (_gate)
        {
            if (_tables.TryGetValue(feature, out var table))
            {
                gA = table.GlobalApproved;
                gN = table.GlobalCount;
                if (table.Keys.TryGetValue(key, out var c))
                {
                    approved = c.Approved;
                    n = c.Count;
                }
            }
        }

        var prior = gN > 0 ? gA / gN : 0.5;
        var denominator = n + smoothing;
        rate = denominator > 0 ? (approved + (prior * smoothing)) / denominator : prior;
        count = n;
    }

    /// <summary>Returns an independent copy of this state.</summary>
    /// <returns>The copy.</returns>
    public HistoryState Clone()
    {
        var copy = new HistoryState();
        lock (_gate)
        {
            foreach (var (name, table) in _tables)
            {
                copy._tables.Add(name, table.Clone());
            }
        }

        return copy;
    }

    /// <summary>Replaces this state's counts with a copy of <paramref name="source"/>'s, in one step.</summary>
    /// <param name="source">The state to copy (for example the one saved with a model version being adopted).</param>
    /// <remarks>
    /// Extractors share their state by reference, so a host that adopts another model version replaces the counts in
    /// place and every extractor (and scorer) reading this state sees the new counts at once.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public void ReplaceWith(HistoryState source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (ReferenceEquals(source, this))
        {
            return;
        }

        var copy = source.Clone();
        lock (_gate)
        {
            _tables.Clear();
            foreach (var (name, table) in copy._tables)
            {
                _tables.Add(name, table);
            }
        }
    }

    /// <summary>Writes the state in its versioned binary format.</summary>
    /// <param name="stream">The destination stream; left open.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(_magic);
        w.Write(CurrentVersion);
        lock (_gate)
        {
            var names = _tables.Keys.ToArray();
            Array.Sort(names, StringComparer.Ordinal);
            w.Write(names.Length);
            foreach (var name in names)
            {
                var table = _tables[name];
                w.Write(name);
                w.Write(table.GlobalApproved);
                w.Write(table.GlobalCount);
                var keys = table.Keys.Keys.ToArray();
                Array.Sort(keys, StringComparer.Ordinal);
                w.Write(keys.Length);
                foreach (var key in keys)
                {
                    var c = table.Keys[key];
                    w.Write(key);
                    w.Write(c.Approved);
                    w.Write(c.Count);
                }
            }
        }
    }

    /// <summary>Reads a state written by <see cref="WriteTo"/>.</summary>
    /// <param name="stream">The source stream; left open.</param>
    /// <returns>The state.</returns>
    /// <exception cref="PatternQualityException">The stream does not hold a history state, or one of a newer format version.</exception>
    public static HistoryState ReadFrom(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            var magic = r.ReadBytes(_magic.Length);
            if (!magic.AsSpan().SequenceEqual(_magic))
            {
                throw new PatternQualityException("The stream does not hold a PatternQuality history state (bad signature).");
            }

            var version = r.ReadInt32();
            if (version < 1 || version > CurrentVersion)
            {
                throw new PatternQualityException($"The history state has format version {version}; this library reads versions 1 to {CurrentVersion}.");
            }

            var state = new HistoryState();
            var tables = ReadCount(r, "tables");
            for (var t = 0; t < tables; t++)
            {
                var name = r.ReadString();
                var table = new Table { GlobalApproved = r.ReadDouble(), GlobalCount = r.ReadDouble() };
                CheckCounts(table.GlobalApproved, table.GlobalCount, name);
                var keys = ReadCount(r, "keys");
                for (var k = 0; k < keys; k++)
                {
                    var key = r.ReadString();
                    var counts = new Counts { Approved = r.ReadDouble(), Count = r.ReadDouble() };
                    CheckCounts(counts.Approved, counts.Count, name);
                    table.Keys[key] = counts;
                }

                state._tables[name] = table;
            }

            return state;
        }
        catch (EndOfStreamException ex)
        {
            throw new PatternQualityException("The history state is truncated.", ex);
        }
        catch (IOException ex)
        {
            // BinaryReader reports a negative string length as IOException: corrupt data, not an I/O failure.
            throw new PatternQualityException("The history state is corrupt: " + ex.Message, ex);
        }
    }

    private static int ReadCount(BinaryReader r, string what)
    {
        var n = r.ReadInt32();
        var stream = r.BaseStream;
        if (n < 0 || (stream.CanSeek && n > stream.Length - stream.Position))
        {
            throw new PatternQualityException($"The history state is corrupt: {n} {what} are declared.");
        }

        return n;
    }

    // Counts come from Observe with labels in [0, 1] and finite weights >= 0; anything else would make history rates
    // NaN or outside [0, 1].
    private static void CheckCounts(double approved, double count, string feature)
    {
        if (!double.IsFinite(approved) || !double.IsFinite(count) || approved < 0 || count < 0 || approved > count * (1 + 1e-9) + 1e-9)
        {
            throw new PatternQualityException($"The history state is corrupt: feature '{feature}' has counts ({approved} approved of {count}).");
        }
    }

    private struct Counts
    {
        public double Approved;
        public double Count;
    }

    private sealed class Table
    {
        public double GlobalApproved;
        public double GlobalCount;

        public Dictionary<string, Counts> Keys { get; } = new(StringComparer.Ordinal);

        public Table Clone()
        {
            var t = new Table { GlobalApproved = GlobalApproved, GlobalCount = GlobalCount };
            foreach (var (k, v) in Keys)
            {
                t.Keys.Add(k, v);
            }

            return t;
        }
    }
}
