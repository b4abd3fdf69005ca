using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using VoScript.Engine.Model;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>
/// Bounded reader of decoded BINARY/BINARY2 bytes. <see cref="Take"/> returns a span
/// valid until the next call.
/// </summary>
public sealed class BinaryRowReader(Stream source, int maxCell)
{
    private byte[] _buf = new byte[1 << 16];
    private int _pos;
    private int _end;
    private bool _eof;

    /// <summary>Bytes taken so far (a row that takes none is an error: the stream could never end).</summary>
    public long Taken;

    /// <summary>The next <paramref name="n"/> bytes.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<byte> Take(int n)
    {
        if (_end - _pos < n || n > maxCell) Fill(n);
        var s = _buf.AsSpan(_pos, n);
        _pos += n;
        Taken += n;
        return s;
    }

    /// <summary>A variable-length array's element count (a 32-bit big-endian integer).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public int ReadCount()
    {
        var c = BinaryPrimitives.ReadInt32BigEndian(Take(4));
        if (c < 0) throw new CellFormatException($"negative array length {c} in the binary stream");
        return c;
    }

    /// <summary>True when the stream has no more bytes (checked at a row boundary).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public bool AtEnd()
    {
        if (_pos < _end) return false;
        if (_eof) return true;
        _pos = _end = 0;
        while (_end == 0)
        {
            var r = source.Read(_buf, 0, _buf.Length);
            if (r <= 0) { _eof = true; return true; }
            _end = r;
        }
        return false;
    }

    private void Fill(int n)
    {
        if (n > maxCell)
            throw new CellFormatException($"a cell of {n} bytes is larger than the limit of {maxCell} bytes (ReaderLimits.MaxCellLength)");
        var have = _end - _pos;
        if (_pos > 0) { Buffer.BlockCopy(_buf, _pos, _buf, 0, have); _pos = 0; _end = have; }
        if (_buf.Length < n) Array.Resize(ref _buf, Math.Max(n, _buf.Length * 2));
        while (_end < n)
        {
            var r = _eof ? 0 : source.Read(_buf, _end, _buf.Length - _end);
            if (r <= 0)
            {
                _eof = true;
                throw new CellFormatException("the binary data ends in the middle of a row (truncated stream)");
            }
            _end += r;
        }
    }
}
