using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

using VoScript.Engine.Formats;
using VoScript.Engine.Formats.Streams;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>
/// Reads its source on a second thread (base64 and gzip decoding there) while the
/// caller decodes rows: a bounded queue of pooled blocks, so memory stays bounded.
/// Exceptions of the source are rethrown to the reader unchanged. Dispose waits for
/// the producer, so the source is never used after it returns.
/// </summary>
internal sealed class ReadAheadStream : ReadOnlyStream
{
    private const int BlockSize = 256 * 1024;
    private readonly BlockingCollection<(byte[]? Data, int Length, ExceptionDispatchInfo? Error)> _queue = new(8);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _producer;
    private byte[]? _block;
    private int _pos, _len;
    private bool _done;

    public ReadAheadStream(Stream source)
    {
        _producer = Task.Run(() => Produce(source));
    }

    private void Produce(Stream source)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var buf = ArrayPool<byte>.Shared.Rent(BlockSize);
                var n = 0;
                while (n < BlockSize)
                {
                    var r = source.Read(buf, n, BlockSize - n);
                    if (r <= 0) break;
                    n += r;
                }
                if (n == 0) { ArrayPool<byte>.Shared.Return(buf); break; }
                _queue.Add((buf, n, null), _stop.Token);
                if (n < BlockSize) break;
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
        catch (Exception e)
        {
            try { _queue.Add((null, 0, ExceptionDispatchInfo.Capture(e)), _stop.Token); }
            catch (OperationCanceledException) { }
        }
        finally { _queue.CompleteAdding(); }
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        while (_block is null || _pos >= _len)
        {
            if (_block is not null) { ArrayPool<byte>.Shared.Return(_block); _block = null; }
            if (_done) return 0;
            if (!_queue.TryTake(out var item, Timeout.Infinite)) { _done = true; return 0; }
            if (item.Error is { } err) { _done = true; err.Throw(); }
            _block = item.Data;
            _pos = 0;
            _len = item.Length;
        }
        var k = Math.Min(count, _len - _pos);
        Buffer.BlockCopy(_block, _pos, buffer, offset, k);
        _pos += k;
        return k;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop.Cancel();
            while (_queue.TryTake(out var item)) if (item.Data is not null) ArrayPool<byte>.Shared.Return(item.Data);
            try { _producer.Wait(); } catch (AggregateException) { }
            while (_queue.TryTake(out var item)) if (item.Data is not null) ArrayPool<byte>.Shared.Return(item.Data);
            if (_block is not null) { ArrayPool<byte>.Shared.Return(_block); _block = null; }
            _queue.Dispose();
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }

}
