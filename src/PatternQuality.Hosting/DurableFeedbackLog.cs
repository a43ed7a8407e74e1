using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text.Json;
using PatternQuality.Feedback;
using PatternQuality.Hosting.Internal;

namespace PatternQuality.Hosting;

/// <summary>
/// An append-only, checksummed feedback log on disk: a record is acknowledged only after it is written and flushed to
/// the device (fsync), so acknowledged feedback survives a crash or a SIGKILL. It is the
/// <see cref="IFeedbackStore{TPattern}"/> of a <see cref="PatternQuality.Storage.FileSystemModelStore"/>'s directory:
/// the sink <see cref="FeedbackIngestion{TPattern}"/> writes to and the source the learner resumes from.
/// </summary>
/// <typeparam name="TPattern">The host application's pattern type, serialized with System.Text.Json.</typeparam>
/// <remarks>
/// <para>
/// Each record is a frame: a 4-byte little-endian payload length, a 4-byte CRC-32 of the payload, then the payload
/// (UTF-8 JSON of the record). On open the log is scanned: a torn last frame (a crash mid-append, never acknowledged)
/// is cut off; a damaged frame followed by good ones is corruption and fails the open with
/// <see cref="InvalidDataException"/>, naming the offset, rather than silently dropping acknowledged records.
/// </para>
/// <para>
/// Thread-safe; appends are serialized. One process writes a log at a time: the file is opened without write sharing,
/// so a second writer fails at start with <see cref="IOException"/>. The log assigns sequence numbers (1, 2, ...) and
/// discards records whose id it already holds; it keeps every id in memory (about 100 bytes per record).
/// </para>
/// </remarks>
public sealed class DurableFeedbackLog<TPattern> : IFeedbackStore<TPattern>, IDisposable
{
    private const int HeaderSize = 8;
    private const int MaximumPayload = 16 * 1024 * 1024;

    private readonly string _path;
    private readonly JsonSerializerOptions _json;
    private readonly FileStream _writer;
    private readonly FileStream _writerLock;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private long _lastSequence;
    private long _count;
    private int _disposed;

    /// <summary>Opens (or creates) the log at <paramref name="path"/>, repairing a torn last record.</summary>
    /// <param name="path">The log file, for example <c>feedback.log</c> in the model store's directory.</param>
    /// <param name="jsonOptions">How patterns are serialized; <see cref="JsonSerializerDefaults.Web"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException">Another process has the log open for writing.</exception>
    /// <exception cref="InvalidDataException">A record before the last is damaged.</exception>
    public DurableFeedbackLog(string path, JsonSerializerOptions? jsonOptions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = System.IO.Path.GetFullPath(path);
        _json = jsonOptions ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_path)!);
        // One writer: an exclusive lock on a side file (released by the OS when the process dies), because readers
        // must still open the log itself.
        _writerLock = new FileStream(_path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        try
        {
            _writer = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, 4096, FileOptions.None);
        }
        catch
        {
            _writerLock.Dispose();
            throw;
        }

        try
        {
            var end = Scan();
            if (end < _writer.Length)
            {
                // A torn tail: the append was never acknowledged, so cutting it off loses nothing.
                _writer.SetLength(end);
                _writer.Flush(flushToDisk: true);
            }

            _writer.Position = end;
        }
        catch
        {
            _writer.Dispose();
            _writerLock.Dispose();
            throw;
        }
    }

    /// <summary>Gets the log file's full path.</summary>
    public string Path => _path;

    /// <summary>Gets how many records the log holds.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Gets the watermark of the last record appended (<see cref="FeedbackWatermark.Start"/> when empty).</summary>
    public FeedbackWatermark LastWatermark => _lastSequence == 0 ? FeedbackWatermark.Start : new FeedbackWatermark(Interlocked.Read(ref _lastSequence));

    /// <summary>
    /// Appends records durably: assigns each new one the next sequence number, writes them, flushes to the device,
    /// and only then returns. Records whose id the log already holds (or that repeat within the batch) are discarded.
    /// </summary>
    /// <param name="records">The feedback; the sequence numbers given are replaced by the log's.</param>
    /// <param name="cancellationToken">Cancels waiting for another append; once writing started the batch completes.</param>
    /// <returns>The accepted records with their sequence numbers, and how many were duplicates.</returns>
    /// <exception cref="ArgumentException">A record is null.</exception>
    /// <exception cref="IOException">The write or the flush failed; nothing of the batch is acknowledged.</exception>
    /// <exception cref="ObjectDisposedException">The log was disposed.</exception>
    public async Task<FeedbackAppendResult<TPattern>> AppendAsync(IReadOnlyList<FeedbackRecord<TPattern>> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i] is null)
            {
                throw new ArgumentException($"Record {i} of the batch is null.", nameof(records));
            }
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var accepted = new List<FeedbackRecord<TPattern>>(records.Count);
            var batchIds = new HashSet<string>(StringComparer.Ordinal);
            var duplicates = 0;
            var sequence = _lastSequence;
            using var buffer = new MemoryStream();
            Span<byte> header = stackalloc byte[HeaderSize];
            foreach (var record in records)
            {
                if (_ids.Contains(record.Id) || !batchIds.Add(record.Id))
                {
                    duplicates++;
                    continue;
                }

                var stored = record with { Sequence = ++sequence };
                var payload = JsonSerializer.SerializeToUtf8Bytes(FeedbackFrame<TPattern>.From(stored), _json);
                BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
                BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32.Compute(payload));
                buffer.Write(header);
                buffer.Write(payload);
                accepted.Add(stored);
            }

            if (accepted.Count > 0)
            {
                var start = _writer.Position;
                try
                {
                    _writer.Write(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));

                    // The acknowledgement promise: on the device before the caller hears "accepted".
                    _writer.Flush(flushToDisk: true);
                }
                catch
                {
                    // Leave no half batch behind for the next append to follow.
                    _writer.SetLength(start);
                    _writer.Position = start;
                    throw;
                }

                foreach (var r in accepted)
                {
                    _ids.Add(r.Id);
                }

                Interlocked.Exchange(ref _lastSequence, sequence);
                Interlocked.Add(ref _count, accepted.Count);
            }

            return new FeedbackAppendResult<TPattern>(accepted, duplicates);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled<long>(cancellationToken) : Task.FromResult(Count);

    /// <inheritdoc />
    public async IAsyncEnumerable<FeedbackRecord<TPattern>> ReadAsync(FeedbackWatermark after, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Read only what was acknowledged when the read started; appends after that are read by the next call.
        var end = Volatile.Read(ref _lastSequence);
        await using var reader = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var header = new byte[HeaderSize];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await reader.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < HeaderSize)
            {
                yield break;
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(header);
            var payload = new byte[length];
            if (await reader.ReadAtLeastAsync(payload, length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < length)
            {
                yield break;
            }

            var record = Deserialize(payload);
            if (record.Sequence > end)
            {
                yield break;
            }

            if (after.IsBefore(record.Sequence))
            {
                yield return record;
            }
        }
    }

    /// <summary>Closes the log file. Calling it again does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _gate.Wait();
        try
        {
            _writer.Dispose();
            _writerLock.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    private FeedbackRecord<TPattern> Deserialize(byte[] payload)
    {
        var frame = JsonSerializer.Deserialize<FeedbackFrame<TPattern>>(payload, _json)
            ?? throw new InvalidDataException($"Feedback log {_path}: a record is empty.");
        return frame.ToRecord();
    }

    // Returns the offset after the last good frame; loads the ids and the last sequence.
    private long Scan()
    {
        _writer.Position = 0;
        var header = new byte[HeaderSize];
        long offset = 0;
        var length = _writer.Length;
        while (offset < length)
        {
            if (_writer.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize)
            {
                return offset;
            }

            var size = BinaryPrimitives.ReadInt32LittleEndian(header);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
            var frameEnd = offset + HeaderSize + (long)size;
            if (size <= 0 || size > MaximumPayload || frameEnd > length)
            {
                return TornOrCorrupt(offset, frameEnd, length);
            }

            var payload = new byte[size];
            _writer.ReadExactly(payload);
            FeedbackRecord<TPattern> record;
            try
            {
                if (Crc32.Compute(payload) != crc)
                {
                    return TornOrCorrupt(offset, frameEnd, length);
                }

                record = Deserialize(payload);
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"Feedback log {_path}: the record at offset {offset} passed its checksum but is not a feedback record of {typeof(TPattern).Name} ({ex.Message}).", ex);
            }

            _ids.Add(record.Id);
            _lastSequence = Math.Max(_lastSequence, record.Sequence);
            _count++;
            offset = frameEnd;
        }

        return offset;
    }

    private long TornOrCorrupt(long offset, long frameEnd, long length)
    {
        // Only the last frame may be torn (a file extended by a crash may also end in zeros); anything after it means
        // a damaged record in the middle of the log.
        if (frameEnd >= length || frameEnd < offset || RestIsZero(offset))
        {
            return offset;
        }

        throw new InvalidDataException($"Feedback log {_path} is damaged at offset {offset} (of {length} bytes): a record fails its checksum and acknowledged records follow it. Restore the file from a backup, or move it away to start a new log.");
    }

    private bool RestIsZero(long offset)
    {
        _writer.Position = offset;
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = _writer.Read(chunk)) > 0)
        {
            if (chunk.AsSpan(0, read).ContainsAnyExcept((byte)0))
            {
                return false;
            }
        }

        return true;
    }
}
