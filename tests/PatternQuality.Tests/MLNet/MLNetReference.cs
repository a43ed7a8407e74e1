using Microsoft.ML;
using Microsoft.ML.Data;
using PatternQuality.Data;
using PatternQuality.MLNet.Internal;

namespace PatternQuality.Tests.MLNet;

/// <summary>Scores a dataset with an ML.NET transformer, as ML.NET itself does (the anchor of the converter tests).</summary>
internal static class MLNetReference
{
    public static (float[] Score, float[] Probability) Transform(MLContext context, ITransformer model, Dataset data)
    {
        var scored = model.Transform(DatasetDataView.Create(context, data));
        var score = scored.GetColumn<float>("Score").ToArray();
        var probability = scored.Schema.GetColumnOrNull("Probability") is null
            ? new float[score.Length]
            : scored.GetColumn<float>("Probability").ToArray();
        return (score, probability);
    }

    public static IDataView View(MLContext context, Dataset data) => DatasetDataView.Create(context, data);
}
