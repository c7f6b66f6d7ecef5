using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using Tsavorite.core;

namespace Lagesbild.Grains.Picture;

/// <summary>
/// The append-only file's device: a lone change's write goes to disk on the thread that asks for
/// it and completes before the call returns.
/// </summary>
/// <remarks>
/// Garnet answers a write only once its commit is on disk (<c>--aof-commit-wait</c>). With its
/// own devices the commit's write runs on another pool thread and its completion wakes the
/// session, which has blocked its thread meanwhile: two hops per change, and on a busy 2-core
/// machine each can wait behind other work for milliseconds (issue 21 item 3). Here the session
/// that appends also writes when the device is idle (a lone change): by the time it sends its
/// answer the commit is complete and it does not block at all. A stream of appends is written from
/// the pool, grouped as before. The file is opened with O_SYNC (FileOptions.WriteThrough), as
/// Garnet's FileStream device opens it, so either way a write has reached the disk when it
/// completes, and each change is answered only once its write has.
/// </remarks>
public sealed class SyncAppendDevice(string filename, uint sectorSize)
    : StorageDeviceBase(filename, sectorSize, Devices.CAPACITY_UNSPECIFIED)
{
    private readonly ConcurrentDictionary<int, SafeFileHandle> _segments = new();

    /// <summary>Writes issued and not yet completed.</summary>
    private int _inFlight;

    /// <summary>When the last write completed (a <see cref="Stopwatch"/> timestamp).</summary>
    private long _lastDone;

    /// <summary>
    /// A device that wrote this recently is serving a stream of appends; a lone change finds it idle.
    /// </summary>
    private static readonly TimeSpan Streaming = TimeSpan.FromMilliseconds(2);

    public override void WriteAsync(IntPtr sourceAddress, int segmentId, ulong destinationAddress, uint numBytesToWrite, DeviceIOCompletionCallback callback, object context)
    {
        HandleCapacity(segmentId);
        // Only a write that finds the device idle runs here. Under a stream of appends the writes
        // go to a pool thread as with Garnet's own devices: the appending session then returns at
        // once, and what others append meanwhile is grouped into the next write (done here, the
        // write would hold the session, and with it the store's epoch, so that the others' writes
        // went one by one; measured in BENCHMARKS.md, H37). A write's completion also
        // issues the write queued behind it, which goes to the pool for the same reason.
        var streaming = Interlocked.Increment(ref _inFlight) > 1
            || Stopwatch.GetElapsedTime(Volatile.Read(ref _lastDone)) < Streaming;
        if (streaming)
        {
            using (ExecutionContext.SuppressFlow())
                ThreadPool.UnsafeQueueUserWorkItem(_ => Write(sourceAddress, segmentId, destinationAddress, numBytesToWrite, callback, context), null);
            return;
        }
        Write(sourceAddress, segmentId, destinationAddress, numBytesToWrite, callback, context);
    }

    private unsafe void Write(IntPtr sourceAddress, int segmentId, ulong destinationAddress, uint numBytesToWrite, DeviceIOCompletionCallback callback, object context)
    {
        uint errorCode = 0;
        Exception? failure = null;
        try
        {
            RandomAccess.Write(Segment(segmentId), new ReadOnlySpan<byte>((byte*)sourceAddress, (int)numBytesToWrite), (long)destinationAddress);
        }
        catch (Exception e)
        {
            (errorCode, numBytesToWrite, failure) = (ErrorCode(e), 0, e);
        }
        Volatile.Write(ref _lastDone, Stopwatch.GetTimestamp());
        // Counted until its completion has run, so that the write it chains goes to the pool.
        try
        {
            callback(errorCode, numBytesToWrite, context, ioException: failure);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Reads (replay at start) stay asynchronous: nobody waits on one for an answer.</summary>
    public override void ReadAsync(int segmentId, ulong sourceAddress, IntPtr destinationAddress, uint readLength, DeviceIOCompletionCallback callback, object context)
    {
        using (ExecutionContext.SuppressFlow())
            ThreadPool.UnsafeQueueUserWorkItem(_ => Read(segmentId, sourceAddress, destinationAddress, readLength, callback, context), null);
    }

    private unsafe void Read(int segmentId, ulong sourceAddress, IntPtr destinationAddress, uint readLength, DeviceIOCompletionCallback callback, object context)
    {
        int read;
        try
        {
            read = RandomAccess.Read(Segment(segmentId), new Span<byte>((byte*)destinationAddress, (int)readLength), (long)sourceAddress);
        }
        catch (Exception e)
        {
            callback(ErrorCode(e), 0, context, ioException: e);
            return;
        }
        callback(0, (uint)read, context, ioException: null);
    }

    public override void RemoveSegmentAsync(int segment, AsyncCallback callback, IAsyncResult result)
    {
        RemoveSegment(segment);
        callback(result);
    }

    public override void RemoveSegment(int segment)
    {
        if (_segments.TryRemove(segment, out var handle))
            handle.Dispose();
        try
        {
            File.Delete(GetSegmentFilename(FileName, segment));
        }
        catch (IOException)
        {
            // Its folder is gone already: so is the segment.
        }
    }

    public override long GetFileSize(int segment) => segmentSize > 0 ? segmentSize : RandomAccess.GetLength(Segment(segment));

    public override void Reset()
    {
        foreach (var segment in _segments.Keys)
            if (_segments.TryRemove(segment, out var handle))
                handle.Dispose();
    }

    public override void Dispose() => Reset();

    private SafeFileHandle Segment(int segmentId)
    {
        if (_segments.TryGetValue(segmentId, out var handle))
            return handle;
        // Under the lock so that two first writes to a segment do not both open it (one handle would leak).
        lock (_segments)
            return _segments.GetOrAdd(segmentId, id => File.OpenHandle(GetSegmentFilename(FileName, id), FileMode.OpenOrCreate,
                FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, FileOptions.WriteThrough));
    }

    private static uint ErrorCode(Exception e) => e is IOException io ? (uint)(io.HResult & 0xFFFF) : uint.MaxValue;
}

/// <summary>Garnet's devices for everything but the append-only file, which gets a <see cref="SyncAppendDevice"/>.</summary>
public sealed class SyncAppendDeviceFactoryCreator(INamedDeviceFactoryCreator others) : INamedDeviceFactoryCreator
{
    public INamedDeviceFactory Create(string baseName) => new Factory(others.Create(baseName), baseName);

    private sealed class Factory(INamedDeviceFactory others, string baseName) : INamedDeviceFactory
    {
        public IDevice Get(FileDescriptor file)
        {
            if (!IsAppendOnlyFile(file))
                return others.Get(file);
            var path = Path.Combine(baseName, file.directoryName, file.fileName);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return new SyncAppendDevice(path, others.GetSectorSize(file));
        }

        public void Delete(FileDescriptor file) => others.Delete(file);

        public IEnumerable<FileDescriptor> ListContents(string path) => others.ListContents(path);

        public uint GetSectorSize(FileDescriptor file) => others.GetSectorSize(file);

        // Garnet names its append-only file "aof.log" (one per database; "aof.<n>.log" when sharded).
        private static bool IsAppendOnlyFile(FileDescriptor file) =>
            file.fileName is { } name && name.StartsWith("aof.", StringComparison.Ordinal) && name.EndsWith(".log", StringComparison.Ordinal);
    }
}
