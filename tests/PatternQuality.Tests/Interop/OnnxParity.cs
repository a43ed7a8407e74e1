using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using PatternQuality.Scoring;

namespace PatternQuality.Tests.Interop;

/// <summary>Scores feature rows with ONNX Runtime and compares them with our scorer.</summary>
internal static class OnnxParity
{
    /// <summary>The largest difference between an exported model's probability and ours that the exporter promises.</summary>
    public const double Tolerance = 1e-5;

    public static float[] Run(byte[] onnx, float[] features, int featureCount, string input = "features")
    {
        using var session = new InferenceSession(onnx);
        var rows = features.Length / featureCount;
        var tensor = new DenseTensor<float>(features, [rows, featureCount]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, tensor)]);
        var output = results.Single();
        var values = output.AsTensor<float>();
        Assert.Equal([rows], values.Dimensions.ToArray());
        return values.ToArray();
    }

    /// <summary>Asserts that ONNX Runtime scores every row within <see cref="Tolerance"/> of ours; returns the largest difference.</summary>
    public static double AssertSameScores(QualityModel model, byte[] onnx, float[] features)
    {
        var f = model.Info.Schema.Count;
        var rows = features.Length / f;
        var ours = new float[rows];
        model.Score(features, ours);
        var theirs = Run(onnx, features, f);
        var worst = 0.0;
        var worstRow = -1;
        for (var i = 0; i < rows; i++)
        {
            var d = Math.Abs((double)ours[i] - theirs[i]);
            if (!(d <= worst))
            {
                worst = d;
                worstRow = i;
            }
        }

        Assert.True(worst <= Tolerance, $"Row {worstRow}: ours {(worstRow >= 0 ? ours[worstRow] : 0)}, ONNX Runtime {(worstRow >= 0 ? theirs[worstRow] : 0)} (difference {worst}).");
        return worst;
    }
}
