namespace PatternQuality.Trees.Internal;

/// <summary>Where continued boosting starts: the model whose trees stay, and what the caller already knows about the rows.</summary>
/// <param name="Ensemble">The start model; new trees fit the residual of its raw scores.</param>
/// <param name="Margins">Each training row's raw score under <paramref name="Ensemble"/> (rows x score columns), or null to compute them.</param>
/// <param name="Bins">The training rows already binned, or null to bin them.</param>
internal sealed record BoostingStart(TreeEnsemble Ensemble, double[]? Margins = null, BinnedDataset? Bins = null);
