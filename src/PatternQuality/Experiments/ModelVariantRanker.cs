using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Versioning;

namespace PatternQuality.Experiments;

/// <summary>A model as an experiment variant: ranks with a <see cref="PatternScorer{TPattern}"/>, for example over a model version alias.</summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
/// <param name="scorer">The scorer of the variant's model.</param>
public sealed class ModelVariantRanker<TPattern>(PatternScorer<TPattern> scorer) : IVariantRanker<TPattern>
{
    private readonly PatternScorer<TPattern> _scorer = scorer ?? throw new ArgumentNullException(nameof(scorer));

    /// <summary>Loads the model a version alias (or id) points to and ranks with it.</summary>
    /// <param name="versions">The version manager.</param>
    /// <param name="versionOrAlias">A version id or alias such as <c>champion</c> or <c>challenger</c>.</param>
    /// <param name="extractor">Turns patterns into the model's feature vectors.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The variant.</returns>
    /// <exception cref="Storage.ModelNotFoundException">No version has that id or alias.</exception>
    /// <exception cref="PatternQuality.Data.SchemaMismatchException">The model's schema differs from the extractor's.</exception>
    public static async Task<ModelVariantRanker<TPattern>> FromVersionAsync(
        ModelVersionManager versions, string versionOrAlias, IFeatureExtractor<TPattern> extractor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(extractor);
        var stored = await versions.LoadAsync(versionOrAlias, cancellationToken).ConfigureAwait(false);
        var model = QualityModel.Load(stored.Content.ToArray());
        model.Info.Schema.EnsureCompatible(extractor.Schema);
        return new ModelVariantRanker<TPattern>(new PatternScorer<TPattern>(extractor, new QualityModelHolder(model)));
    }

    /// <inheritdoc />
    public IReadOnlyList<ScoredPattern<TPattern>> Rank(IReadOnlyList<TPattern> candidates, int top, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _scorer.Rank(candidates, top);
    }
}
