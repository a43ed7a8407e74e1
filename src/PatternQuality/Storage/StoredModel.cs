namespace PatternQuality.Storage;

/// <summary>A model's bytes together with its metadata, as a store returns them.</summary>
/// <param name="Metadata">The metadata.</param>
/// <param name="Content">The serialized model.</param>
public sealed record StoredModel(ModelMetadata Metadata, ReadOnlyMemory<byte> Content);
