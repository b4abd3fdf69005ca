namespace VoScript.Engine.Formats.Streams;

/// <summary>A forward-only stream that can only be read: the one place for the members such a stream refuses.</summary>
internal abstract class ReadOnlyStream : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Bytes already read from a stream (its head), then the rest of that stream.</summary>
internal sealed class PrefixedStream(byte[] head, int start, int count, Stream rest) : ReadOnlyStream
{
    private int _start = start, _count = count;

    public override int Read(byte[] buffer, int offset, int length)
    {
        if (_count > 0)
        {
            var n = Math.Min(length, _count);
            Buffer.BlockCopy(head, _start, buffer, offset, n);
            _start += n; _count -= n;
            return n;
        }
        return rest.Read(buffer, offset, length);
    }

    public override int Read(Span<byte> buffer)
    {
        if (_count > 0)
        {
            var n = Math.Min(buffer.Length, _count);
            head.AsSpan(_start, n).CopyTo(buffer);
            _start += n; _count -= n;
            return n;
        }
        return rest.Read(buffer);
    }

    /// <summary>The bytes left to read when the rest is a stream that knows its length (a file), else null.</summary>
    public long? Remaining => rest.CanSeek ? _count + Math.Max(0, rest.Length - rest.Position) : null;
}
