using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Tsavorite.core;

namespace Lagesbild.Grains.Picture;

/// <summary>
/// The append-only file's device: a lone change's write goes to disk on the thread that asks for
/// it and completes before the call returns, into space that was allocated and zero-filled
/// beforehand, off the append's path.
/// </summary>
/// <remarks>
/// Garnet answers a write only once its commit is on disk (<c>--aof-commit-wait</c>). With its
/// own devices the commit's write runs on another pool thread and its completion wakes the
/// session, which has blocked its thread meanwhile: two hops per change, and on a busy 2-core
/// machine each can wait behind other work for milliseconds (issue 21 item 3). Here the session
/// that appends also writes when the device is idle (a lone change): by the time it sends its
/// answer the commit is complete and it does not block at all. A stream of appends is written from
/// the pool, grouped as before.
/// <para>
/// The file is opened with O_DSYNC, so either way a write has reached the disk when it completes,
/// and each change is answered only once its write has. An append that extends the file also
/// makes the disk write the file's new size and blocks, one synchronous step more for every other
/// append on this disk (each step waits for a CPU on a busy machine; measured in BENCHMARKS.md,
/// H42); into space already allocated and written, the data, the inode's times and the cache
/// flush remain. So the device keeps <see cref="Lead"/> of zeros ahead of the last append,
/// written in <see cref="Chunk"/>s on a pool thread after an append completes. Zeros
/// past the committed tail are what Tsavorite's recovery already meets on the tail's own page (its
/// flushes write whole sectors), and a page that starts with zeros ends its scan for commits.
/// </para>
/// </remarks>
public sealed class SyncAppendDevice(string filename, uint sectorSize)
    : StorageDeviceBase(filename, sectorSize, Devices.CAPACITY_UNSPECIFIED)
{
    private readonly ConcurrentDictionary<int, SegmentFile> _segments = new();

    /// <summary>Writes issued and not yet completed.</summary>
    private int _inFlight;

    /// <summary>When the last write completed (a <see cref="Stopwatch"/> timestamp).</summary>
    private long _lastDone;

    /// <summary>
    /// A device that wrote this recently is serving a stream of appends; a lone change finds it idle.
    /// </summary>
    private static readonly TimeSpan Streaming = TimeSpan.FromMilliseconds(2);

    /// <summary>How far ahead of the last append the file is kept allocated and zero-filled: four seconds of one map's 100 changes/s.</summary>
    public const long Lead = 1 << 20;

    /// <summary>
    /// One zero-filling write: at most one per append, so the disk never has a long write queued
    /// ahead of an append, and one per ~50 appends of a few KB once the lead is there.
    /// </summary>
    public const int Chunk = 128 << 10;

    private static readonly byte[] Zeros = new byte[Chunk];

    public override void WriteAsync(IntPtr sourceAddress, int segmentId, ulong destinationAddress, uint numBytesToWrite, DeviceIOCompletionCallback callback, object context)
    {
        HandleCapacity(segmentId);
        Segment(segmentId).Claim((long)destinationAddress, numBytesToWrite);
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
        var segment = Segment(segmentId);
        try
        {
            RandomAccess.Write(segment.Handle, new ReadOnlySpan<byte>((byte*)sourceAddress, (int)numBytesToWrite), (long)destinationAddress);
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
        // After the answer's way is clear: the fill is a pool thread's, and the disk's between two appends.
        if (segment.WantsFill(segmentSize > 0 ? segmentSize : long.MaxValue))
        {
            using (ExecutionContext.SuppressFlow())
                ThreadPool.UnsafeQueueUserWorkItem(static s => s.Fill(), segment, preferLocal: false);
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
            read = RandomAccess.Read(Segment(segmentId).Handle, new Span<byte>((byte*)destinationAddress, (int)readLength), (long)sourceAddress);
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
        if (_segments.TryRemove(segment, out var file))
            file.Dispose();
        try
        {
            File.Delete(GetSegmentFilename(FileName, segment));
        }
        catch (IOException)
        {
            // Its folder is gone already: so is the segment.
        }
    }

    public override long GetFileSize(int segment) => segmentSize > 0 ? segmentSize : RandomAccess.GetLength(Segment(segment).Handle);

    public override void Reset()
    {
        foreach (var segment in _segments.Keys)
            if (_segments.TryRemove(segment, out var file))
                file.Dispose();
    }

    public override void Dispose() => Reset();

    private SegmentFile Segment(int segmentId)
    {
        if (_segments.TryGetValue(segmentId, out var file))
            return file;
        // Under the lock so that two first writes to a segment do not both open it (one handle would leak).
        lock (_segments)
            return _segments.GetOrAdd(segmentId, id => new SegmentFile(GetSegmentFilename(FileName, id)));
    }

    private static uint ErrorCode(Exception e) => e is IOException io ? (uint)(io.HResult & 0xFFFF) : uint.MaxValue;

    /// <summary>
    /// One segment's file and how far it is ready for appends: everything below <see cref="_prepared"/>
    /// is allocated and written (by appends or zeros), and zeros never go where an append was claimed.
    /// </summary>
    private sealed class SegmentFile : IDisposable
    {
        public SafeFileHandle Handle { get; }

        /// <summary>Allocated and written below this offset: the file's length when opened, then the fills' end.</summary>
        private long _prepared;

        /// <summary>The end of the furthest append issued (claimed before it is written).</summary>
        private long _claimed;

        /// <summary>The range a fill is writing now (empty when none): an append into it waits for it.</summary>
        private long _fillStart, _fillEnd;

        private bool _fillQueued;

        /// <summary>Where the segment ends: no fill goes past it.</summary>
        private long _limit = long.MaxValue;

        private readonly object _gate = new();

        public SegmentFile(string path)
        {
            Handle = OpenDataSync(path);
            _prepared = RandomAccess.GetLength(Handle);
        }

        /// <summary>Records an append before it is written, so that no fill can start over it.</summary>
        public void Claim(long offset, uint length)
        {
            lock (_gate)
            {
                _claimed = Math.Max(_claimed, offset + length);
                // Only when appends have caught up with a fill still being written (the fills run a
                // megabyte ahead): the zeros must land before the append, not after it.
                while (offset < _fillEnd && _fillStart < offset + length)
                    Monitor.Wait(_gate);
            }
        }

        /// <summary>Whether a fill should be queued now; at most one is.</summary>
        public bool WantsFill(long limit)
        {
            lock (_gate)
            {
                _limit = limit;
                if (_fillQueued || _prepared - _claimed >= Lead || Math.Max(_prepared, AlignUp(_claimed)) >= limit)
                    return false;
                _fillQueued = true;
                return true;
            }
        }

        /// <summary>Writes one chunk of zeros past everything claimed and prepared.</summary>
        public void Fill()
        {
            long start, end;
            lock (_gate)
            {
                start = Math.Max(_prepared, AlignUp(_claimed));
                end = Math.Min(start + Chunk, _limit);
                (_fillStart, _fillEnd) = (start, end);
            }
            try
            {
                if (end > start)
                    RandomAccess.Write(Handle, Zeros.AsSpan(0, (int)(end - start)), start);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The disk full or the segment removed: appends extend the file as they would without fills.
                end = start;
            }
            finally
            {
                lock (_gate)
                {
                    _prepared = Math.Max(_prepared, end);
                    (_fillStart, _fillEnd, _fillQueued) = (0, 0, false);
                    Monitor.PulseAll(_gate);
                }
            }
        }

        private static long AlignUp(long offset) => (offset + 4095) & ~4095L;

        public void Dispose() => Handle.Dispose();

        /// <summary>
        /// Opened with O_DSYNC: a write returns once its data, and whatever is needed to read it back
        /// (size, allocation), is on disk; a write into prepared space is then the data alone.
        /// .NET's <see cref="FileOptions.WriteThrough"/> is O_SYNC, which also writes the
        /// modification time on every append.
        /// </summary>
        private static SafeFileHandle OpenDataSync(string path)
        {
            if (!OperatingSystem.IsLinux())
                return File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, FileOptions.WriteThrough);
            var fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_DSYNC, 420 /* 0644 */);
            if (fd < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new IOException($"Could not open {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
            return new SafeFileHandle(fd, ownsHandle: true);
        }

        // Linux's values on x86-64 and arm64.
        private const int O_RDWR = 0x2, O_CREAT = 0x40, O_DSYNC = 0x1000, O_CLOEXEC = 0x80000;

        [DllImport("libc.so.6", EntryPoint = "open", SetLastError = true)]
        private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);
    }
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
