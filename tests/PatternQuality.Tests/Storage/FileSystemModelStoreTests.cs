using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using PatternQuality.Storage;
using PatternQuality.Storage.Internal;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Storage;

/// <summary>
/// What only the file store has: its files, its lock and the ways files go wrong. What every store promises runs in
/// <see cref="Contract.FileSystemModelStoreContractTests"/>.
/// </summary>
public sealed class FileSystemModelStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SaveAsync_WritesModelFileAndManifest()
    {
        await CreateSut().SaveAsync(new ModelMetadata("v1"), Bytes("model one"));

        Assert.True(File.Exists(_temp.Combine("models", "v1.pqm")));
        Assert.True(File.Exists(_temp.Combine("manifest.json")));
        Assert.Equal(_temp.Combine("models", "v1.pqm"), (await CreateSut().LoadAsync("v1")).Location);
    }

    [Fact]
    public async Task LoadAsync_TruncatedFile_ThrowsCorruptedNamingFileAndActiveStays()
    {
        var sut = CreateSut();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes(new string('x', 1000)));
        await sut.SetActiveVersionAsync("v1");
        var path = _temp.Combine("models", "v1.pqm");
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..500]);

        var ex = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.LoadAsync("v1"));

        Assert.Equal(path, ex.FilePath);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        Assert.Equal("v1", await sut.GetActiveVersionAsync());
    }

    [Theory]
    [InlineData(0, "signature")]
    [InlineData(ModelFileEnvelope.HeaderLength + 3, "checksum")]
    [InlineData(20, "checksum")]
    public async Task LoadAsync_AlteredByte_ThrowsCorruptedSayingWhat(int offset, string expected)
    {
        var sut = CreateSut();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("some model bytes"));
        var path = _temp.Combine("models", "v1.pqm");
        var bytes = File.ReadAllBytes(path);
        bytes[offset] ^= 0x5A;
        File.WriteAllBytes(path, bytes);

        var ex = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.LoadAsync("v1"));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.FilePath);
    }

    [Fact]
    public async Task LoadAsync_FileSwappedWithAnotherVersion_ThrowsCorrupted()
    {
        var sut = CreateSut();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        await sut.SaveAsync(new ModelMetadata("v2"), Bytes("two"));
        File.Copy(_temp.Combine("models", "v2.pqm"), _temp.Combine("models", "v1.pqm"), overwrite: true);

        var ex = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.LoadAsync("v1"));

        Assert.Contains("not the model the manifest recorded", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_ModelFileDeletedByHand_ThrowsCorruptedNamingFile()
    {
        var sut = CreateSut();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        File.Delete(_temp.Combine("models", "v1.pqm"));

        var ex = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.LoadAsync("v1"));

        Assert.Contains("missing", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("v1.pqm", ex.FilePath, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ this is not json", "not a valid manifest")]
    [InlineData("null", "JSON null")]
    [InlineData("[1, 2, 3]", "not a valid manifest")]
    [InlineData("""{"schemaVersion": 99, "versions": []}""", "schemaVersion is 99")]
    [InlineData("""{"schemaVersion": 1, "versions": null}""", "'versions' array")]
    [InlineData("""{"schemaVersion": 1, "versions": [], "active": "v7"}""", "'v7' is not among")]
    [InlineData("""{"schemaVersion": 1, "versions": [{"version": "../etc", "file": "models/../etc.pqm", "sha256": "x"}]}""", "not a valid version identifier")]
    [InlineData("""{"schemaVersion": 1, "versions": [{"version": "v1", "file": "/etc/passwd", "sha256": "x"}]}""", "must be 'models/v1.pqm'")]
    [InlineData("""{"schemaVersion": 1, "versions": [{"version": "v1", "file": "models/v1.pqm", "sha256": "nothex"}]}""", "64 hexadecimal")]
    [InlineData("""{"schemaVersion": 1, "versions": [{"version": "v1", "file": "models/v1.pqm", "sha256": "0000000000000000000000000000000000000000000000000000000000000000"}, {"version": "v1", "file": "models/v1.pqm", "sha256": "0000000000000000000000000000000000000000000000000000000000000000"}]}""", "more than once")]
    [InlineData("""{"schemaVersion": "one", "versions": []}""", "not a valid manifest")]
    public async Task ListAsync_ManifestEditedIntoNonsense_ThrowsCorruptedNamingManifest(string json, string expected)
    {
        var sut = CreateSut();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        var manifest = _temp.Combine("manifest.json");
        File.WriteAllText(manifest, json);

        var ex = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.ListAsync());

        Assert.Equal(manifest, ex.FilePath);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.SaveAsync(new ModelMetadata("v2"), Bytes("two")));
        Assert.Equal(json, File.ReadAllText(manifest));
    }

    [Fact]
    public async Task SetActiveVersionAsync_CorruptedFile_ThrowsAndPreviousStaysActive()
    {
        var sut = CreateSut();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        await sut.SaveAsync(new ModelMetadata("v2"), Bytes("two"));
        await sut.SetActiveVersionAsync("v1");
        File.WriteAllText(_temp.Combine("models", "v2.pqm"), "garbage");

        await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.SetActiveVersionAsync("v2"));

        Assert.Equal("v1", await sut.GetActiveVersionAsync());
    }

    [Fact]
    public async Task SetActiveVersionAsync_Twice_RecordsActivationHistory()
    {
        var time = new FakeClockWithRealTimers(new DateTimeOffset(2026, 11, 23, 19, 0, 0, TimeSpan.Zero));
        var sut = CreateSut(time: time);
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        await sut.SaveAsync(new ModelMetadata("v2"), Bytes("two"));

        await sut.SetActiveVersionAsync("v1");
        time.Advance(TimeSpan.FromMinutes(5));
        await sut.SetActiveVersionAsync("v2");

        var history = await sut.GetActivationHistoryAsync();
        Assert.Equal([("v1", null, time.Start), ("v2", "v1", time.Start.AddMinutes(5))], history);
        await Assert.ThrowsAsync<ModelNotFoundException>(() => sut.SetActiveVersionAsync("v3"));
    }

    [Fact]
    public async Task DeleteAsync_Inactive_RemovesEntryAndFile()
    {
        var sut = CreateSut();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        await sut.SaveAsync(new ModelMetadata("v2"), Bytes("two"));
        await sut.SetActiveVersionAsync("v2");

        Assert.True(await sut.DeleteAsync("v1"));
        Assert.False(await sut.DeleteAsync("v1"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => sut.DeleteAsync("v2"));

        Assert.Equal(["v2"], (await sut.ListAsync()).Select(m => m.Version));
        Assert.False(File.Exists(_temp.Combine("models", "v1.pqm")));
    }

    [Fact]
    public async Task SaveAsync_NullPropertyValue_ThrowsBeforeWritingAnything()
    {
        var sut = CreateSut();
        var metadata = new ModelMetadata("v1") { Properties = new Dictionary<string, string> { ["k"] = null! } };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => sut.SaveAsync(metadata, Bytes("one")));

        Assert.Contains("'k'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await sut.ListAsync());
    }

    [Theory]
    [InlineData((int)StoreFaultPoint.BeforeModelRename)]
    [InlineData((int)StoreFaultPoint.AfterModelFile)]
    [InlineData((int)StoreFaultPoint.BeforeManifestRename)]
    public async Task SaveAsync_CrashMidSave_PreviousStateIntactAndLeftoversCleaned(int faultPoint)
    {
        var point = (StoreFaultPoint)faultPoint;
        var sut = CreateSut();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        await sut.SetActiveVersionAsync("v1");
        var manifestBefore = File.ReadAllBytes(_temp.Combine("manifest.json"));
        sut.FaultInjector = p =>
        {
            if (p == point)
            {
                throw new SimulatedCrashException();
            }
        };

        await Assert.ThrowsAsync<SimulatedCrashException>(() => sut.SaveAsync(new ModelMetadata("v2"), Bytes("two")));
        Assert.Contains(Directory.EnumerateFiles(_temp.Path, "*", SearchOption.AllDirectories), f => f.EndsWith(".tmp", StringComparison.Ordinal) || f.EndsWith("v2.pqm", StringComparison.Ordinal));

        // A new instance stands for the restarted process.
        var restarted = CreateSut();
        Assert.Equal(manifestBefore, File.ReadAllBytes(_temp.Combine("manifest.json")));
        Assert.Equal(["v1"], (await restarted.ListAsync()).Select(m => m.Version));
        Assert.Equal("v1", await restarted.GetActiveVersionAsync());
        Assert.Equal("one", Encoding.UTF8.GetString((await restarted.LoadAsync("v1")).Content.Span));

        await restarted.SaveAsync(new ModelMetadata("v3"), Bytes("three"));
        var files = Directory.EnumerateFiles(_temp.Path, "*", SearchOption.AllDirectories).Where(f => !f.Contains("quarantine", StringComparison.Ordinal)).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal([".lock", "manifest.json", "v1.pqm", "v3.pqm"], files);

        // The crashed save's model file is unknown to the manifest: moved aside, never deleted.
        var quarantined = Directory.Exists(_temp.Combine("quarantine")) ? Directory.GetFiles(_temp.Combine("quarantine")).Select(Path.GetFileName).ToArray() : [];
        Assert.Equal(point == StoreFaultPoint.BeforeModelRename ? 0 : 1, quarantined.Count(f => f!.StartsWith("v2.pqm.", StringComparison.Ordinal)));

        // The crashed version can be saved again: its leftover does not block it.
        await restarted.SaveAsync(new ModelMetadata("v2"), Bytes("two again"));
        Assert.Equal("two again", Encoding.UTF8.GetString((await restarted.LoadAsync("v2")).Content.Span));
    }

    [Fact]
    public async Task SaveAsync_ManifestDeletedByHand_IsAnErrorAndKeepsModelFiles()
    {
        var sut = CreateSut();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        File.Delete(_temp.Combine("manifest.json"));

        var read = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.ListAsync());
        var write = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.SaveAsync(new ModelMetadata("v2"), Bytes("two")));

        Assert.Contains("manifest.json", read.Message, StringComparison.Ordinal);
        Assert.Contains("restore", write.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(_temp.Combine("models", "v1.pqm")));
    }

    [Fact]
    public async Task SaveAsync_CancelledMidSave_LeavesNoTrace()
    {
        var sut = CreateSut();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        using var cts = new CancellationTokenSource();
        sut.FaultInjector = p =>
        {
            if (p == StoreFaultPoint.BeforeManifestRename)
            {
                cts.Cancel();
            }
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sut.SaveAsync(new ModelMetadata("v2"), Bytes("two"), cts.Token));

        Assert.Equal(["v1"], (await sut.ListAsync()).Select(m => m.Version));
        var files = Directory.EnumerateFiles(_temp.Path, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal([".lock", "manifest.json", "v1.pqm"], files);
    }

    [Fact]
    public async Task SaveAsync_LockHeldByAnotherProcess_WaitsThenTimesOutNamingDirectory()
    {
        var sut = CreateSut(lockTimeout: TimeSpan.FromMilliseconds(300));
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));

        // flock(1) takes the same advisory lock .NET takes for FileShare.None on Unix, so this is a real second
        // process holding the store's lock.
        if (OperatingSystem.IsWindows() || !File.Exists("/usr/bin/flock"))
        {
            return;
        }

        using var holder = Process.Start(new ProcessStartInfo("/usr/bin/flock", ["-x", _temp.Combine(".lock"), "-c", "echo locked; sleep 60"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        try
        {
            Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync());

            var ex = await Assert.ThrowsAsync<ModelStoreAccessException>(() => sut.SaveAsync(new ModelMetadata("v2"), Bytes("two")));

            Assert.Contains(_temp.Path, ex.Message, StringComparison.Ordinal);
            Assert.Contains("Timed out", ex.Message, StringComparison.Ordinal);
            Assert.Equal(["v1"], (await sut.ListAsync()).Select(m => m.Version));
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }

        await sut.SaveAsync(new ModelMetadata("v2"), Bytes("two"));
        Assert.Equal(2, (await sut.ListAsync()).Count);
    }

    [Fact]
    public async Task SaveAsync_MissingDirectoryWithParent_CreatesIt()
    {
        var dir = _temp.Combine("store");
        var sut = CreateSut(dir);

        Assert.Empty(await sut.ListAsync());
        Assert.Null(await sut.GetActiveVersionAsync());
        Assert.False(Directory.Exists(dir));
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));

        Assert.True(File.Exists(Path.Combine(dir, "models", "v1.pqm")));
    }

    [Fact]
    public async Task SaveAsync_MissingDirectoryAndParent_ThrowsAccessNamingDirectory()
    {
        var dir = _temp.Combine("no-such-parent", "store");
        var sut = CreateSut(dir);

        var ex = await Assert.ThrowsAsync<ModelStoreAccessException>(() => sut.SaveAsync(new ModelMetadata("v1"), Bytes("one")));
        await Assert.ThrowsAsync<ModelStoreAccessException>(() => sut.ListAsync());

        Assert.Equal(dir, ex.Directory);
        Assert.Contains(dir, ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task ListAsync_MissingDirectoryAndCreationOff_ThrowsAccessNamingOption()
    {
        var dir = _temp.Combine("store");
        var sut = new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = dir, CreateDirectoryIfMissing = false });

        var ex = await Assert.ThrowsAsync<ModelStoreAccessException>(() => sut.ListAsync());

        Assert.Contains("CreateDirectoryIfMissing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveAsync_DirectoryIsAFile_ThrowsAccess()
    {
        var file = _temp.Combine("a-file");
        File.WriteAllText(file, "x");

        var ex = await Assert.ThrowsAsync<ModelStoreAccessException>(() => CreateSut(file).SaveAsync(new ModelMetadata("v1"), Bytes("one")));

        Assert.Contains("is a file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveAsync_ReadOnlyDirectory_ThrowsAccessNamingDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var dir = _temp.Combine("ro");
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            // Root ignores permission bits, so the test means nothing there; probe first.
            var probe = Path.Combine(dir, "probe");
            try
            {
                File.WriteAllText(probe, "x");
                File.Delete(probe);
                return;
            }
            catch (UnauthorizedAccessException)
            {
            }

            var ex = await Assert.ThrowsAsync<ModelStoreAccessException>(() => CreateSut(dir).SaveAsync(new ModelMetadata("v1"), Bytes("one")));
            Assert.Contains(dir, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Theory]
    [InlineData("", 1, "The field FileSystemModelStoreOptions.Directory must be set to the store's directory.")]
    [InlineData("a\0b", 1, "The field FileSystemModelStoreOptions.Directory contains characters that are invalid in a path.")]
    [InlineData("x", -1, "The field FileSystemModelStoreOptions.LockTimeout must be between 00:00:00 and 00:10:00.")]
    [InlineData("x", 601, "The field FileSystemModelStoreOptions.LockTimeout must be between 00:00:00 and 00:10:00.")]
    public void Constructor_InvalidOptions_ThrowsNamingOption(string directory, int timeoutSeconds, string expected)
    {
        var options = new FileSystemModelStoreOptions { Directory = directory, LockTimeout = TimeSpan.FromSeconds(timeoutSeconds) };

        var ex = Assert.Throws<OptionsValidationException>(() => new FileSystemModelStore(options));

        Assert.Contains(expected, Assert.Single(ex.Failures), StringComparison.Ordinal);
    }

    private static ReadOnlyMemory<byte> Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private FileSystemModelStore CreateSut(string? directory = null, TimeSpan? lockTimeout = null, TimeProvider? time = null) =>
        new(new FileSystemModelStoreOptions { Directory = directory ?? _temp.Path, LockTimeout = lockTimeout ?? TimeSpan.FromSeconds(30) }, time);
}
