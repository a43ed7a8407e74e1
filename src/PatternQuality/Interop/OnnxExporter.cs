using System.Reflection;
using System.Text;
using System.Text.Json;
using PatternQuality.Interop.Internal;
using PatternQuality.Scoring;
using PatternQuality.Trees;

namespace PatternQuality.Interop;

/// <summary>
/// Writes a binary <see cref="QualityModel"/> (boosted trees or random forest, with its calibrator) as an ONNX model,
/// so it can be served by any ONNX runtime: ONNX Runtime from C#, Python, Java or JavaScript, for example.
/// </summary>
/// <remarks>
/// <para>
/// The graph takes one float tensor [N, F], the feature vectors the model's extractor produces (laid out by
/// <see cref="ModelInfo.Schema"/>, missing values as NaN), and returns one float tensor [N] of calibrated
/// probabilities equal to <see cref="QualityModel.Score(ReadOnlySpan{float}, Span{float})"/> to about 1e-7.
/// The extractor itself (CSV columns to numbers, history features) is not part of the graph: serve the exported file
/// with vectors built by <see cref="Features.IFeatureExtractor{TPattern}"/>, or by code that reproduces it.
/// </para>
/// <para>
/// The trees become one ai.onnx.ml <c>TreeEnsemble</c> node (ai.onnx.ml opset 5, ONNX 1.16 or later; ONNX Runtime
/// 1.18 or later) evaluated in double precision. A missing value follows each split's learnt direction
/// (<c>nodes_missing_value_tracks_true</c>). Categorical splits become set-membership tests on the category index.
/// The calibrator (none, Platt or isotonic) becomes standard operators after the trees.
/// </para>
/// </remarks>
public static class OnnxExporter
{
    /// <summary>Writes <paramref name="model"/> as an ONNX model to <paramref name="destination"/>.</summary>
    /// <param name="model">The model to export: its predictor must be a binary <see cref="TreeEnsembleModel"/>.</param>
    /// <param name="destination">A writable stream; the model is written at its current position and the stream is left open.</param>
    /// <param name="options">Names of the graph's input and output, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="destination"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not writable.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> is invalid.</exception>
    /// <exception cref="NotSupportedException">The predictor is not a tree ensemble of this library (a custom <see cref="Learning.IPredictor"/>), or the calibrator cannot be exported.</exception>
    public static void Export(QualityModel model, Stream destination, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("The destination stream is not writable.", nameof(destination));
        }

        var bytes = ToBytes(model, options);
        destination.Write(bytes);
    }

    /// <summary>Returns <paramref name="model"/> as the bytes of an ONNX model file.</summary>
    /// <param name="model">The model to export: its predictor must be a binary <see cref="TreeEnsembleModel"/>.</param>
    /// <param name="options">Names of the graph's input and output, or <see langword="null"/> for the defaults.</param>
    /// <returns>The ONNX model (a serialized ModelProto).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> is invalid.</exception>
    /// <exception cref="NotSupportedException">The predictor is not a tree ensemble of this library, or the calibrator cannot be exported.</exception>
    public static byte[] ToBytes(QualityModel model, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxExportOptions();
        options.Validate();
        if (model.Predictor is not TreeEnsembleModel trees)
        {
            throw new NotSupportedException($"Only tree ensemble models (gradient-boosted or random forest) can be exported to ONNX; this model's predictor is a {model.Predictor.GetType().Name}.");
        }

        if (!BitConverter.IsLittleEndian)
        {
            // Tensor data is written as the machine's bytes; ONNX requires little-endian.
            throw new PlatformNotSupportedException("ONNX export needs a little-endian machine.");
        }

        var schema = model.Info.Schema;
        var graph = new OnnxGraphBuilder();
        var input64 = graph.Node("Cast", [options.InputName], attributes: OnnxGraphBuilder.IntAttribute("to", OnnxGraphBuilder.DoubleType));
        var probability64 = TreeEnsembleNode.AddProbability(graph, input64, schema.Count, trees.ToExport());

        // Ours rounds the probability to float before calibrating it; so does the graph.
        var probability = graph.Node("Cast", [probability64], attributes: OnnxGraphBuilder.IntAttribute("to", OnnxGraphBuilder.FloatType));
        var calibrated = CalibratorNodes.Add(graph, probability, model.Calibrator);
        graph.Node("Reshape", [calibrated, graph.Constant("flat", [-1L], 1)], output: options.OutputName);

        var kind = trees.IsRandomForest ? "random forest" : "gradient-boosted trees";
        var description = new ModelDescription(
            options.InputName,
            $"The {schema.Count} features of each row, in the model's schema order (see metadata 'patternquality.features'); missing values as NaN, categories as their index.",
            schema.Count,
            options.OutputName,
            "patternquality_" + (trees.IsRandomForest ? "forest" : "gbdt"),
            $"PatternQuality quality model ({kind}, {trees.TreeCount} trees, {model.Calibrator.Method} calibration): the calibrated probability that a user approves a pattern.",
            "PatternQuality",
            typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            Metadata(model, trees));
        return graph.Build(description);
    }

    private static List<KeyValuePair<string, string>> Metadata(QualityModel model, TreeEnsembleModel trees)
    {
        var metadata = new List<KeyValuePair<string, string>>
        {
            new("patternquality.features", FeatureNamesJson(model)),
            new("patternquality.schema_hash", model.Info.Schema.Hash),
            new("patternquality.trainer", model.Info.Trainer),
            new("patternquality.ensemble", trees.IsRandomForest ? "forest" : "gbdt"),
            new("patternquality.calibration", model.Calibrator.Method.ToString()),
        };
        if (model.Info.Version is { } version)
        {
            metadata.Add(new("patternquality.version", version));
        }

        return metadata;
    }

    private static string FeatureNamesJson(QualityModel model)
    {
        // Written with Utf8JsonWriter rather than the serializer: no reflection, so export works trimmed and AOT-compiled.
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var feature in model.Info.Schema.Features)
            {
                json.WriteStringValue(feature.Name);
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
