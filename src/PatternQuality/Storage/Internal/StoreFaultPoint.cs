namespace PatternQuality.Storage.Internal;

/// <summary>Points in a save where tests inject a crash (see <see cref="FileSystemModelStore.FaultInjector"/>).</summary>
internal enum StoreFaultPoint
{
    /// <summary>The model's temporary file is on disk; it has not been renamed into place.</summary>
    BeforeModelRename,

    /// <summary>The model file is in place; the manifest does not list it yet.</summary>
    AfterModelFile,

    /// <summary>The new manifest's temporary file is on disk; it has not been renamed into place.</summary>
    BeforeManifestRename,

    /// <summary>An update's changes are applied to the manifest in memory; nothing has been written yet.</summary>
    BeforeUpdateWrite,
}
