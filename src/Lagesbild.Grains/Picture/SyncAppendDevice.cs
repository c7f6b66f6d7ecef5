using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;
using Tsavorite.core;

namespace Lagesbild.Grains.Picture;

/// <summary>
/// The append-only file's device: a write goes to disk on the thread that asks for it and
/// completes before the call returns.
/// </summary>
/// <remarks>
/// Garnet answers a write only once its commit is on disk (<c>--aof-commit-wait</c>). With its
/// own devices the commit's write runs on another pool thread and its completion wakes the
/// session, which has blocked its thread meanwhile: two hops per change, and on a busy 2-core
/// machine each can wait behind other work for milliseconds (issue 21 item 3). Here the session
/// that appends also writes: by the time it sends its answer the commit is complete and it does
/// not block at all. The file is opened with O_SYNC (FileOptions.WriteThrough), as Garnet's
/// FileStream device opens it, so a write has reached the disk when it returns. Concurrent
/// appenders still share writes: whatever others appended while a write was under way goes out
/// in the next one, from a pool thread, each answered only once that write is on disk.
/// </remarks>
public sealed class SyncAppendDevice(string filename, uint sectorSize)
    : StorageDeviceBase(filename, sectorSize, Devices.CAPACITY_UNSPECIFIED)
{
    private readonly ConcurrentDictionary<int, SafeFileHandle> _segments = new();

    /// <summary>Writes issued and not yet completed.</summary>
    private int _inFlight;

    public override void WriteAsync(IntPtr sourceAddress, int segmentId, ulong destinationAddress, uint numBytesToWrite, DeviceIOCompletionCallback callback, object context)
    {
        HandleCapacity(segmentId);
        // Only a write with none other under way runs here. A write's completion issues the
        // appends queued behind it (those that arrived while it was on its way to disk, grouped
        // into one write): done on this thread, a session whose change is already on disk would
        // wait for its neighbours' writes before answering; so those, and any write that finds
        // another under way, go to a pool thread as with Garnet's own devices.
        if (Interlocked.Increment(ref _inFlight) > 1)
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
        File.Delete(GetSegmentFilename(FileName, segment));
    }

    public override long GetFileSize(int segment) => segmentSize > 0 ? segmentSize : RandomAccess.GetLength(Segment(segment));

    public override void Reset()
    {
        foreach (var segment in _segments.Keys)
            if (_segments.TryRemove(segment, out var handle))
                handle.Dispose();
    }

    public override void Dispose() => Reset();

    private SafeFileHandle Segment(int segmentId) => _segments.GetOrAdd(segmentId, id =>
        File.OpenHandle(GetSegmentFilename(FileName, id), FileMode.OpenOrCreate, FileAccess.ReadWrite,
            FileShare.ReadWrite | FileShare.Delete, FileOptions.WriteThrough));

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
