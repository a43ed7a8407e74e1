namespace PatternQuality.Storage;

/// <summary>A model's bytes together with its metadata, as a store returns them.</summary>
/// <param name="Metadata">The metadata.</param>
/// <param name="Content">The serialized model.</param>
public sealed record StoredModel(ModelMetadata Metadata, ReadOnlyMemory<byte> Content)
{
    /// <summary>Gets where the store keeps the bytes (a file path for <see cref="FileSystemModelStore"/>), for error messages.</summary>
    /// <value>The default value is <see langword="null"/>: the store does not say.</value>
    public string? Location { get; init; }
}
