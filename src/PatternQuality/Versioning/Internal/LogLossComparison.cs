namespace PatternQuality.Versioning.Internal;

/// <summary>Both models' mean log loss, the mean paired difference (candidate minus champion), its standard error and upper bound.</summary>
internal readonly record struct LogLossComparison(double ChampionLogLoss, double CandidateLogLoss, double Delta, double StandardError, double Upper);
