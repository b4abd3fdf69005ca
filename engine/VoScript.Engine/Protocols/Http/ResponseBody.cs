namespace VoScript.Engine.Protocols.Http;

/// <summary>The body stopped arriving for longer than the read idle timeout.</summary>
internal sealed class ResponseStalledException : IOException
{
    public ResponseStalledException(TimeSpan idle, long bytes)
        : base($"no data arrived for {idle.TotalSeconds:0} s after {bytes} bytes") { }
}

/// <summary>
/// A response body: counts bytes (raising <see cref="BytesReceived"/>), enforces
/// an idle timeout on every read, and lets the first bytes be inspected before
/// the consumer reads them.
/// </summary>
internal sealed class ResponseBody : Stream
{
    private const long EventEvery = 256 * 1024;
    private readonly Stream _inner;
    private readonly Uri _url;
    private readonly TimeSpan _idle;
    private readonly Action<ProtocolEvent>? _raise;
    private byte[] _prefix = [];
    private int _prefixPos;
    private long _total;
    private long _lastEvent;
    private bool _ended;

    internal ResponseBody(Stream inner, Uri url, TimeSpan idle, Action<ProtocolEvent>? raise)
    {
        _inner = inner;
        _url = url;
        _idle = idle;
        _raise = raise;
    }

    /// <summary>Bytes delivered so far (including bytes peeked).</summary>
    public long BytesRead => _total;

    /// <summary>Reads up to <paramref name="count"/> bytes ahead without consuming them.</summary>
    public async Task<ReadOnlyMemory<byte>> PeekAsync(int count, CancellationToken ct)
    {
        var available = _prefix.Length - _prefixPos;
        if (available >= count) return _prefix.AsMemory(_prefixPos, count);
        var buf = new byte[count];
        Array.Copy(_prefix, _prefixPos, buf, 0, available);
        var n = available;
        while (n < count)
        {
            var r = await ReadInnerAsync(buf.AsMemory(n, count - n), ct).ConfigureAwait(false);
            if (r == 0) break;
            n += r;
        }
        _prefix = buf;
        _prefixPos = 0;
        Array.Resize(ref _prefix, n);
        return _prefix.AsMemory(0, n);
    }

    private async ValueTask<int> ReadInnerAsync(Memory<byte> buffer, CancellationToken ct)
    {
        if (_ended) return 0;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(_idle);
        int n;
        try
        {
            n = await _inner.ReadAsync(buffer, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ResponseStalledException(_idle, _total);
        }
        if (n == 0)
        {
            _ended = true;
            _raise?.Invoke(new BytesReceived(_url, _total, true));
            return 0;
        }
        _total += n;
        if (_total - _lastEvent >= EventEvery)
        {
            _lastEvent = _total;
            _raise?.Invoke(new BytesReceived(_url, _total, false));
        }
        return n;
    }

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_prefixPos < _prefix.Length)
        {
            var n = Math.Min(buffer.Length, _prefix.Length - _prefixPos);
            _prefix.AsMemory(_prefixPos, n).CopyTo(buffer);
            _prefixPos += n;
            return n;
        }
        return await ReadInnerAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        var tmp = new byte[buffer.Length];
        var n = Read(tmp, 0, tmp.Length);
        tmp.AsSpan(0, n).CopyTo(buffer);
        return n;
    }

    /// <summary>Reads the rest of the body as text (at most <paramref name="maxChars"/> characters).</summary>
    public async Task<string> ReadTextAsync(int maxChars, CancellationToken ct)
    {
        using var reader = new StreamReader(this, System.Text.Encoding.UTF8, true, 4096, leaveOpen: true);
        var buf = new char[Math.Min(maxChars, 1 << 16)];
        var sb = new System.Text.StringBuilder();
        while (sb.Length < maxChars)
        {
            var n = await reader.ReadAsync(buf.AsMemory(0, Math.Min(buf.Length, maxChars - sb.Length)), ct).ConfigureAwait(false);
            if (n == 0) break;
            sb.Append(buf, 0, n);
        }
        return sb.ToString();
    }

    /// <inheritdoc/>
    public override bool CanRead => true;
    /// <inheritdoc/>
    public override bool CanSeek => false;
    /// <inheritdoc/>
    public override bool CanWrite => false;
    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();
    /// <inheritdoc/>
    public override long Position { get => _total - (_prefix.Length - _prefixPos); set => throw new NotSupportedException(); }
    /// <inheritdoc/>
    public override void Flush() { }
    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();
    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
