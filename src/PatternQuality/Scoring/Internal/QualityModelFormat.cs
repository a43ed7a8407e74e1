using System.Globalization;
using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Serialization;
using PatternQuality.Trees;

namespace PatternQuality.Scoring.Internal;

/// <summary>
/// The sections a <see cref="QualityModel"/> adds to the model file container.
/// </summary>
/// <remarks>
/// Sections: "schema"; "info" (trainer, version, created-at ticks and offset, metrics); "predictor-kind" ("trees");
/// "predictor" (a nested tree-ensemble model file, with its own checksum); "calibrator"; optional "history"
/// (HistoryState's own versioned format); optional "columns" (the CSV column mapping).
/// Version history of this layout: 1 (initial).
/// </remarks>
internal static class QualityModelFormat
{
    internal const string InfoTag = "info";
    internal const string PredictorKindTag = "predictor-kind";
    internal const string PredictorTag = "predictor";
    internal const string MulticlassKind = "multiclass-trees";
    private const string CalibratorTag = "calibrator";
    private const string HistoryTag = "history";
    internal const string ColumnsTag = "columns";
    private const string TreesKind = "trees";
    private const int MaxEntries = 1_000_000;

    public static byte[] Write(QualityModel model)
    {
        if (model.Predictor is not TreeEnsembleModel trees)
        {
            throw new NotSupportedException($"A predictor of type {model.Predictor.GetType().Name} cannot be saved; only tree-ensemble models can.");
        }

        var writer = new ModelFileWriter();
        writer.AddSection(FeatureSchemaSection.Tag, w => FeatureSchemaSection.Write(w, model.Info.Schema));
        writer.AddSection(InfoTag, w => WriteInfo(w, model.Info));
        writer.AddSection(PredictorKindTag, w => w.Write(TreesKind));
        writer.AddSection(PredictorTag, trees.ToBytes());
        writer.AddSection(CalibratorTag, model.Calibrator.WriteTo);
        if (model.History is not null)
        {
            using var ms = new MemoryStream();
            model.History.WriteTo(ms);
            writer.AddSection(HistoryTag, ms.ToArray());
        }

        if (model.Columns is not null)
        {
            writer.AddSection(ColumnsTag, w => WriteColumns(w, model.Columns));
        }

        return writer.ToArray();
    }

    public static QualityModel Read(byte[] data)
    {
        var reader = ModelFileReader.Parse(data);
        var schema = reader.ReadSection(FeatureSchemaSection.Tag, FeatureSchemaSection.Read);
        var info = reader.ReadSection(InfoTag, r => ReadInfo(r, schema));
        var kind = reader.ReadSection(PredictorKindTag, r => r.ReadString());
        if (kind == MulticlassKind)
        {
            throw new ModelFormatException($"The file holds a multiclass model; load it with {nameof(MulticlassQualityModel)}.{nameof(MulticlassQualityModel.Load)}.");
        }

        if (kind != TreesKind)
        {
            throw new ModelFormatException($"The model file section '{PredictorKindTag}' names a predictor kind '{kind}' this library version does not know.");
        }

        var predictor = reader.ReadSection(PredictorTag, r => TreeEnsembleModel.Load(r.ReadBytes((int)r.BaseStream.Length)));
        if (predictor.Schema.Hash != schema.Hash)
        {
            throw new ModelFormatException("The model file's predictor was trained on another feature schema than the file declares.");
        }

        var calibrator = reader.ReadSection(CalibratorTag, Calibrator.ReadFrom);
        HistoryState? history = null;
        if (reader.HasSection(HistoryTag))
        {
            history = reader.ReadSection(HistoryTag, r => HistoryState.ReadFrom(r.BaseStream));
        }

        var columns = reader.HasSection(ColumnsTag) ? reader.ReadSection(ColumnsTag, r => ReadColumns(r, schema)) : null;
        return new QualityModel(predictor, calibrator, info, history, columns);
    }

    internal static void WriteInfo(BinaryWriter w, ModelInfo info)
    {
        w.Write(info.Trainer);
        w.Write(info.Version ?? string.Empty);
        w.Write(info.CreatedAt.HasValue);
        if (info.CreatedAt is { } at)
        {
            w.Write(at.UtcTicks);
        }

        w.Write(info.Metrics.Count);
        foreach (var (k, v) in info.Metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.Write(k);
            w.Write(v);
        }
    }

    internal static ModelInfo ReadInfo(BinaryReader r, FeatureSchema schema)
    {
        var trainer = r.ReadString();
        if (string.IsNullOrWhiteSpace(trainer))
        {
            throw new ModelFormatException("The model file's info section names no trainer.");
        }

        var version = r.ReadString();
        DateTimeOffset? created = r.ReadBoolean() ? new DateTimeOffset(CheckTicks(r.ReadInt64()), TimeSpan.Zero) : null;
        var count = CheckCount(ModelFileReader.ReadCount(r, 9, "metrics"), "metrics");
        var metrics = new Dictionary<string, double>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            metrics[r.ReadString()] = r.ReadDouble();
        }

        return new ModelInfo(schema, trainer)
        {
            Version = version.Length == 0 ? null : version,
            CreatedAt = created,
            Metrics = metrics,
        };
    }

    internal static void WriteColumns(BinaryWriter w, IReadOnlyList<RowColumn> columns)
    {
        w.Write(columns.Count);
        foreach (var c in columns)
        {
            w.Write(c.Name);
            w.Write((int)c.Kind);
            w.Write(c.Smoothing);
            w.Write(c.Categories is not null);
            if (c.Categories is not null)
            {
                w.Write(c.Categories.Count);
                foreach (var cat in c.Categories)
                {
                    w.Write(cat);
                }
            }
        }
    }

    internal static IReadOnlyList<RowColumn> ReadColumns(BinaryReader r, FeatureSchema schema)
    {
        var count = CheckCount(ModelFileReader.ReadCount(r, 14, "columns"), "columns");
        var list = new List<RowColumn>(count);
        for (var i = 0; i < count; i++)
        {
            var name = r.ReadString();
            var kind = (RowColumnKind)r.ReadInt32();
            if (!Enum.IsDefined(kind))
            {
                throw new ModelFormatException($"Column '{name}' has an unknown kind code {(int)kind}.");
            }

            var smoothing = r.ReadDouble();
            List<string>? categories = null;
            if (r.ReadBoolean())
            {
                var n = CheckCount(ModelFileReader.ReadCount(r, 1, "categories"), "categories");
                categories = new List<string>(n);
                for (var j = 0; j < n; j++)
                {
                    categories.Add(r.ReadString());
                }
            }

            list.Add(new RowColumn(name, kind) { Smoothing = smoothing, Categories = categories });
        }

        // Checked now rather than on first use: a mapping that cannot rebuild the model's schema would make every
        // later CreateRowExtractor (pq predict, the feedback loop) fail.
        try
        {
            RowFeatureExtractor.Restore(list, schema);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or PatternQualityException)
        {
            throw new ModelFormatException($"The model file section '{ColumnsTag}' does not match the schema: {ex.Message}", ex);
        }

        return list;
    }

    private static int CheckCount(int count, string what)
        => count is >= 0 and <= MaxEntries
            ? count
            : throw new ModelFormatException(string.Create(CultureInfo.InvariantCulture, $"The model file declares {count} {what}."));

    private static long CheckTicks(long ticks)
        => ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? ticks
            : throw new ModelFormatException("The model file's creation time is out of range.");
}
