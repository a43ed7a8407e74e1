using System.Globalization;
using PatternQuality.Calibration;
using PatternQuality.Serialization;
using PatternQuality.Trees;

namespace PatternQuality.Scoring.Internal;

/// <summary>
/// The sections a <see cref="MulticlassQualityModel"/> writes: those of <see cref="QualityModelFormat"/> with predictor
/// kind "multiclass-trees", a nested multiclass tree-ensemble file as "predictor", "multiclass-calibrator" (method,
/// class count, scale and offset per class) and "classes" (the names). Version history of this layout: 1 (initial).
/// </summary>
internal static class MulticlassQualityModelFormat
{
    private const string CalibratorTag = "multiclass-calibrator";
    private const string ClassesTag = "classes";
    private const int MaxClasses = 10_000;

    public static byte[] Write(MulticlassQualityModel model)
    {
        var writer = new ModelFileWriter();
        writer.AddSection(FeatureSchemaSection.Tag, w => FeatureSchemaSection.Write(w, model.Info.Schema));
        writer.AddSection(QualityModelFormat.InfoTag, w => QualityModelFormat.WriteInfo(w, model.Info));
        writer.AddSection(QualityModelFormat.PredictorKindTag, w => w.Write(QualityModelFormat.MulticlassKind));
        writer.AddSection(QualityModelFormat.PredictorTag, model.Predictor.ToBytes());
        writer.AddSection(CalibratorTag, w =>
        {
            var c = model.Calibrator;
            w.Write((byte)c.Method);
            w.Write(c.ClassCount);
            for (var i = 0; i < c.ClassCount; i++)
            {
                w.Write(c.Scales[i]);
                w.Write(c.Offsets[i]);
            }
        });
        writer.AddSection(ClassesTag, w =>
        {
            w.Write(model.ClassCount);
            foreach (var name in model.ClassNames)
            {
                w.Write(name);
            }
        });
        if (model.Columns is not null)
        {
            writer.AddSection(QualityModelFormat.ColumnsTag, w => QualityModelFormat.WriteColumns(w, model.Columns));
        }

        return writer.ToArray();
    }

    public static bool IsMulticlass(byte[] data)
        => ModelFileReader.Parse(data).ReadSection(QualityModelFormat.PredictorKindTag, r => r.ReadString()) == QualityModelFormat.MulticlassKind;

    public static MulticlassQualityModel Read(byte[] data)
    {
        var reader = ModelFileReader.Parse(data);
        var schema = reader.ReadSection(FeatureSchemaSection.Tag, FeatureSchemaSection.Read);
        var info = reader.ReadSection(QualityModelFormat.InfoTag, r => QualityModelFormat.ReadInfo(r, schema));
        var kind = reader.ReadSection(QualityModelFormat.PredictorKindTag, r => r.ReadString());
        if (kind != QualityModelFormat.MulticlassKind)
        {
            throw new ModelFormatException($"The file holds a binary model (predictor kind '{kind}'); load it with {nameof(QualityModel)}.{nameof(QualityModel.Load)}.");
        }

        var predictor = reader.ReadSection(QualityModelFormat.PredictorTag, r => MulticlassTreeEnsembleModel.Load(r.BaseStream));
        if (predictor.Schema.Hash != schema.Hash)
        {
            throw new ModelFormatException("The model file's predictor was trained on another feature schema than the file declares.");
        }

        var calibrator = reader.ReadSection(CalibratorTag, r => ReadCalibrator(r, predictor.ClassCount));
        var names = reader.ReadSection(ClassesTag, r =>
        {
            var n = ModelFileReader.ReadCount(r, 1, "class names");
            if (n != predictor.ClassCount)
            {
                throw new ModelFormatException(string.Create(CultureInfo.InvariantCulture, $"{n} class names are declared for a model of {predictor.ClassCount} classes."));
            }

            var list = new string[n];
            for (var i = 0; i < n; i++)
            {
                list[i] = r.ReadString();
            }

            return list;
        });
        var columns = reader.HasSection(QualityModelFormat.ColumnsTag)
            ? reader.ReadSection(QualityModelFormat.ColumnsTag, r => QualityModelFormat.ReadColumns(r, schema))
            : null;
        try
        {
            return new MulticlassQualityModel(predictor, names, calibrator, info, columns);
        }
        catch (ArgumentException ex)
        {
            throw new ModelFormatException($"The model file is inconsistent: {ex.Message}", ex);
        }
    }

    private static MulticlassCalibrator ReadCalibrator(BinaryReader r, int classCount)
    {
        var method = (MulticlassCalibrationMethod)r.ReadByte();
        if (method is not (MulticlassCalibrationMethod.None or MulticlassCalibrationMethod.Temperature or MulticlassCalibrationMethod.Vector))
        {
            throw new ModelFormatException(string.Create(CultureInfo.InvariantCulture, $"Multiclass calibrator method code {(int)method} is not known."));
        }

        var k = ModelFileReader.ReadCount(r, 16, "calibrator classes");
        if (k != classCount || k > MaxClasses)
        {
            throw new ModelFormatException(string.Create(CultureInfo.InvariantCulture, $"The calibrator is for {k} classes; the model has {classCount}."));
        }

        var scales = new double[k];
        var offsets = new double[k];
        for (var c = 0; c < k; c++)
        {
            scales[c] = ModelFileReader.CheckFinite(r.ReadDouble(), 1e6, "A calibrator scale");
            offsets[c] = ModelFileReader.CheckFinite(r.ReadDouble(), 1e6, "A calibrator offset");
        }

        return new MulticlassCalibrator(method, scales, offsets);
    }
}
