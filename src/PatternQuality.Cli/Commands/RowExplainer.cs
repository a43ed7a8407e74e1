using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Scoring;

namespace PatternQuality.Cli.Commands;

/// <summary>Explanations of data-file rows through the library's <see cref="PatternScorer{TPattern}.Explain"/>.</summary>
/// <remarks>
/// CSV rows go through the model's own row extractor, so reasons name the file's columns with the values as written
/// ("category = Bar"); SVMlight rows have only numbered features and are explained vector by vector.
/// </remarks>
internal static class RowExplainer
{
    public static string[] Reasons(QualityModel model, MappedRows rows, int top, CancellationToken cancellationToken)
    {
        if (!model.CanExplain)
        {
            throw new NotSupportedException("--explain needs a tree model (gbdt or forest); this version's predictor cannot explain its scores.");
        }

        var holder = new QualityModelHolder(model);
        var reasons = new string[rows.RowCount];
        if (rows.Table is { } table)
        {
            var scorer = new PatternScorer<IReadOnlyDictionary<string, string?>>(model.CreateRowExtractor(), holder);
            for (var i = 0; i < table.RowCount; i++)
            {
                if ((i & 0xFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                reasons[i] = scorer.Explain(table.GetRow(i), top).Reason;
            }

            return reasons;
        }

        var vectors = new PatternScorer<int>(new RowVectors(model.Info.Schema, rows.Features), holder);
        for (var i = 0; i < rows.RowCount; i++)
        {
            if ((i & 0xFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            reasons[i] = vectors.Explain(i, top).Reason;
        }

        return reasons;
    }

    /// <summary>Row i of an already mapped, row-major feature block.</summary>
    private sealed class RowVectors(FeatureSchema schema, float[] features) : IFeatureExtractor<int>
    {
        public FeatureSchema Schema => schema;

        public void Extract(int pattern, Span<float> destination)
            => features.AsSpan(pattern * schema.Count, schema.Count).CopyTo(destination);
    }
}
