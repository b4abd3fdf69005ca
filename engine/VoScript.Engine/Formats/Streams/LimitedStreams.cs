using System.IO.Compression;
using VoScript.Hosting;
using VoScript.Engine;

namespace VoScript.Engine.Formats.Streams;

/// <summary>
/// Counts the bytes read through it and stops with an <see cref="InvalidDataException"/> (which readers report with
/// their position) once more than <paramref name="max"/> bytes have come, and between reads when <paramref name="ct"/> is cancelled.
/// </summary>
internal sealed class ByteLimitStream(Stream inner, long max, string what, CancellationToken ct = default) : ReadOnlyStream
{
    public long Count { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ct.ThrowIfCancellationRequested();
        var n = inner.Read(buffer);
        Count += n;
        if (Count > max) throw new InvalidDataException($"{what} is larger than the limit of {max} bytes");
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>
/// Inflates a gzip stream with both caps of <see cref="ReaderLimits"/>: at most <see cref="ReaderLimits.MaxInflatedBytes"/>
/// bytes, and past 64 MiB at most <see cref="ReaderLimits.MaxInflateRatio"/> times the compressed bytes read so far.
/// Inflation stops at the first byte beyond a cap, so a zip bomb costs no more than the cap.
/// </summary>
internal sealed class GzipLimitStream : ReadOnlyStream
{
    private const long RatioFloor = 64L << 20;
    private readonly ByteLimitStream _compressed;
    private readonly GZipStream _gz;
    private readonly ReaderLimits _limits;
    private readonly bool _leaveOpen;
    private long _out;

    public GzipLimitStream(Stream compressed, ReaderLimits limits, bool leaveOpen = false, CancellationToken ct = default)
    {
        _compressed = new ByteLimitStream(compressed, long.MaxValue, "the compressed data", ct);
        _gz = new GZipStream(_compressed, CompressionMode.Decompress, leaveOpen: true);
        _limits = limits;
        _leaveOpen = leaveOpen;
        Inner = compressed;
    }

    private Stream Inner { get; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // never inflate more than one byte past the cap
        var room = _limits.MaxInflatedBytes - _out + 1;
        if (buffer.Length > room) buffer = buffer[..(int)Math.Max(1, room)];
        var n = _gz.Read(buffer);
        _out += n;
        if (_out > _limits.MaxInflatedBytes)
            throw new InvalidDataException($"gzip data inflates to more than the limit of {_limits.MaxInflatedBytes} bytes (ReaderLimits.MaxInflatedBytes)");
        if (_out > RatioFloor && _out > (double)_limits.MaxInflateRatio * Math.Max(1, _compressed.Count))
            throw new InvalidDataException($"gzip data inflates more than {_limits.MaxInflateRatio} times ({_compressed.Count} compressed bytes gave {_out}); " +
                "refused as a likely zip bomb (ReaderLimits.MaxInflateRatio)");
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gz.Dispose();
            if (!_leaveOpen) Inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
