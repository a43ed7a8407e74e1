namespace PatternQuality.Interop.Internal;

/// <summary>What the ModelProto says about the graph: names, documentation and metadata.</summary>
internal sealed record ModelDescription(
    string InputName,
    string InputDocString,
    int FeatureCount,
    string OutputName,
    string GraphName,
    string DocString,
    string ProducerName,
    string ProducerVersion,
    IReadOnlyList<KeyValuePair<string, string>> Metadata);
