using System.Diagnostics;
using System.Text;
using PatternQuality.Storage;

namespace PatternQuality.Tests.Storage;

/// <summary>
/// Issue 18 item 3 and the store's "medium" rows: the store never deletes what it cannot account for, and a manifest
/// that is not a regular file or not a manifest is a clear, quick <see cref="ModelStoreCorruptedException"/>.
/// </summary>
public sealed class FileSystemModelStoreHardeningTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"schemaVersion\": 1}")]
    [InlineData("{\"versions\": []}")]
    [InlineData("[]")]
    public async Task EmptyOrPartialManifest_IsAnError_AndNoModelFileIsTouched(string manifest)
    {
        var sut = await StoreWithTwoVersionsAsync();
        File.WriteAllText(Manifest, manifest);

        await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.ListAsync());
        await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.SaveAsync(new ModelMetadata("v3"), Bytes("three")));

        Assert.Equal(["v1.pqm", "v2.pqm"], ModelFiles());
    }

    [Fact]
    public async Task ManifestRestoredFromBackup_NewerModelFilesAreQuarantinedNotDeleted()
    {
        var sut = CreateSut();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        var backup = File.ReadAllBytes(Manifest);
        await sut.SaveAsync(new ModelMetadata("v2"), Bytes("two"));
        File.WriteAllBytes(Manifest, backup);

        await sut.SaveAsync(new ModelMetadata("v3"), Bytes("three"));

        Assert.Equal(["v1.pqm", "v3.pqm"], ModelFiles());
        var kept = Assert.Single(Directory.GetFiles(_temp.Combine("quarantine")));
        Assert.StartsWith("v2.pqm.", Path.GetFileName(kept), StringComparison.Ordinal);
        Assert.Equal(48 + 3, File.ReadAllBytes(kept).Length);
    }

    [Fact]
    public async Task ManifestEditedByHand_DroppedVersionIsQuarantined_DeletedVersionIsSwept()
    {
        var sut = await StoreWithTwoVersionsAsync();
        await sut.SaveAsync(new ModelMetadata("v3"), Bytes("three"));
        Assert.True(await sut.DeleteAsync("v3"));

        // Someone removes v1 from the manifest by hand: the store cannot tell garbage from someone's only copy.
        var text = File.ReadAllText(Manifest);
        File.WriteAllText(Manifest, text.Replace("\"version\": \"v1\"", "\"version\": \"v9\"", StringComparison.Ordinal).Replace("models/v1.pqm", "models/v9.pqm", StringComparison.Ordinal));
        File.Copy(_temp.Combine("models", "v2.pqm"), _temp.Combine("models", "v9.pqm"));
        await sut.SaveAsync(new ModelMetadata("v4"), Bytes("four"));

        Assert.Equal(["v2.pqm", "v4.pqm", "v9.pqm"], ModelFiles());
        Assert.Contains(Directory.GetFiles(_temp.Combine("quarantine")), f => Path.GetFileName(f).StartsWith("v1.pqm.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForeignTempFiles_AreNotOursToDelete()
    {
        var sut = CreateSut();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        File.WriteAllText(_temp.Combine("notes.tmp"), "mine");
        File.WriteAllText(_temp.Combine("manifest.json.0123456789abcdef0123456789abcdef.tmp"), "crashed write");

        await sut.SaveAsync(new ModelMetadata("v2"), Bytes("two"));

        Assert.True(File.Exists(_temp.Combine("notes.tmp")));
        Assert.False(File.Exists(_temp.Combine("manifest.json.0123456789abcdef0123456789abcdef.tmp")));
    }

    [Fact]
    public async Task ManifestWithByteOrderMark_IsRead()
    {
        var sut = await StoreWithTwoVersionsAsync();
        File.WriteAllBytes(Manifest, [0xEF, 0xBB, 0xBF, .. File.ReadAllBytes(Manifest)]);

        Assert.Equal(["v1", "v2"], (await sut.ListAsync()).Select(v => v.Version));
        await sut.SaveAsync(new ModelMetadata("v3"), Bytes("three"));
        Assert.Equal(3, (await CreateSut().ListAsync()).Count);
    }

    [Theory]
    [InlineData("directory")]
    [InlineData("fifo")]
    [InlineData("dev-zero")]
    [InlineData("empty")]
    public async Task ManifestNotARegularFile_FailsQuicklyWithCorruption(string kind)
    {
        if (!OperatingSystem.IsLinux() && kind is "fifo" or "dev-zero")
        {
            return;
        }

        var sut = await StoreWithTwoVersionsAsync();
        File.Delete(Manifest);
        switch (kind)
        {
            case "directory":
                Directory.CreateDirectory(Manifest);
                break;
            case "fifo":
                Assert.Equal(0, Process.Start("mkfifo", Manifest)!.WaitForExitAndGetCode());
                break;
            case "dev-zero":
                File.CreateSymbolicLink(Manifest, "/dev/zero");
                break;
            default:
                File.WriteAllBytes(Manifest, []);
                break;
        }

        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ex = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.ListAsync(timeout.Token));

        Assert.Contains("manifest.json", ex.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "a FIFO must not block");
        await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.SaveAsync(new ModelMetadata("v3"), Bytes("three")));
        Assert.Equal(["v1.pqm", "v2.pqm"], ModelFiles());
    }

    [Fact]
    public async Task ModelFileReplacedByLinkToDevZero_IsCorruptionNotAnEndlessRead()
    {
        var sut = await StoreWithTwoVersionsAsync();
        var file = _temp.Combine("models", "v1.pqm");
        File.Delete(file);
        File.CreateSymbolicLink(file, "/dev/zero");

        var ex = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.LoadAsync("v1"));

        Assert.Contains("v1.pqm", ex.Message, StringComparison.Ordinal);
    }

    private string Manifest => _temp.Combine("manifest.json");

    private static ReadOnlyMemory<byte> Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private FileSystemModelStore CreateSut() => new(new FileSystemModelStoreOptions { Directory = _temp.Path });

    private async Task<FileSystemModelStore> StoreWithTwoVersionsAsync()
    {
        var sut = CreateSut();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        await sut.SaveAsync(new ModelMetadata("v2"), Bytes("two"));
        await sut.SetActiveVersionAsync("v2");
        return sut;
    }

    private string[] ModelFiles() => Directory.GetFiles(_temp.Combine("models")).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();
}

internal static class ProcessExtensions
{
    public static int WaitForExitAndGetCode(this Process process)
    {
        using (process)
        {
            process.WaitForExit();
            return process.ExitCode;
        }
    }
}
