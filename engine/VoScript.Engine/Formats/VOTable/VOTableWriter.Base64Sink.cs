using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>VOTableWriter: base64 encoding and writing of binary blocks, on a second thread.</summary>
public static partial class VOTableWriter
{
    /// <summary>Tests only: write BINARY/BINARY2 row by row, as for columns without a columnar encoder.</summary>
    [ThreadStatic] internal static bool RowByRow;

    /// <summary>
    /// Takes blocks of binary rows and writes them to the output as one base64 text (no line breaks), carrying the
    /// 0–2 bytes of a block that do not fill a 3-byte group over to the next. With <c>parallel</c> the encoding and
    /// writing run on another thread while the caller fills the next block (three buffers in turn); an error of the
    /// output is rethrown to the caller. Dispose waits for that thread.
    /// </summary>
    internal sealed class Base64Sink : IDisposable
    {
        private readonly Stream _out;
        private readonly bool _parallel;
        private readonly BlockingCollection<(byte[] Buf, int Len)>? _full;
        private readonly BlockingCollection<byte[]>? _free;
        private readonly Task? _writer;
        private ExceptionDispatchInfo? _error;
        private byte[] _own = [];
        private byte[] _text = new byte[64 * 1024];
        private readonly byte[] _carry = new byte[3];
        private int _carryLen;
        private bool _completed;

        public Base64Sink(Stream output, bool parallel)
        {
            _out = output;
            _parallel = parallel;
            if (!parallel) return;
            _full = new BlockingCollection<(byte[], int)>(2);
            _free = new BlockingCollection<byte[]>(3);
            for (var i = 0; i < 3; i++) _free.Add([]);
            _writer = Task.Run(Drain);
        }

        /// <summary>A buffer of at least <paramref name="size"/> bytes to fill and <see cref="Submit"/>.</summary>
        public byte[] Rent(int size)
        {
            byte[] b;
            if (!_parallel) b = _own;
            else
            {
                if (!_free!.TryTake(out b!, Timeout.Infinite)) { _error?.Throw(); throw new InvalidOperationException("the base64 writer stopped"); }
            }
            if (b.Length < size) b = new byte[(int)Math.Min(Array.MaxLength, Math.Max(size, b.Length * 2L))];
            if (!_parallel) _own = b;
            return b;
        }

        /// <summary>Queues the first <paramref name="len"/> bytes of <paramref name="buf"/> (from <see cref="Rent"/>).</summary>
        public void Submit(byte[] buf, int len)
        {
            if (!_parallel) { Encode(buf, len, final: false); return; }
            _error?.Throw();
            try { _full!.Add((buf, len)); }
            catch (InvalidOperationException) { _error?.Throw(); throw; }
        }

        /// <summary>Writes what is left (with padding) and waits for the writer.</summary>
        public void Complete()
        {
            _completed = true;
            if (_parallel)
            {
                _full!.CompleteAdding();
                _writer!.Wait();
                _error?.Throw();
            }
            Encode([], 0, final: true);
        }

        private void Drain()
        {
            try
            {
                foreach (var (buf, len) in _full!.GetConsumingEnumerable())
                {
                    Encode(buf, len, final: false);
                    _free!.Add(buf);
                }
            }
            catch (Exception e)
            {
                // the producer finds the error at its next Rent or Submit (a blocked Add or Take ends)
                _error = ExceptionDispatchInfo.Capture(e);
                _free!.CompleteAdding();
                _full!.CompleteAdding();
            }
        }

        private void Encode(byte[] buf, int len, bool final)
        {
            var data = buf.AsSpan(0, len);
            if (_carryLen > 0)
            {
                var take = Math.Min(3 - _carryLen, data.Length);
                data[..take].CopyTo(_carry.AsSpan(_carryLen));
                _carryLen += take;
                data = data[take..];
                if (_carryLen < 3 && !final) return;
                Write(_carry.AsSpan(0, _carryLen), final: _carryLen < 3);
                _carryLen = 0;
            }
            var whole = final ? data.Length : data.Length - data.Length % 3;
            while (whole > 0)
            {
                // in pieces of at most 48 KB (64 KB of text)
                var piece = Math.Min(whole, 48 * 1024);
                Write(data[..piece], final: final && piece == whole);
                data = data[piece..];
                whole -= piece;
            }
            data.CopyTo(_carry);
            _carryLen = data.Length;
        }

        private void Write(ReadOnlySpan<byte> bytes, bool final)
        {
            var need = (bytes.Length + 2) / 3 * 4;
            if (_text.Length < need) _text = new byte[need];
            System.Buffers.Text.Base64.EncodeToUtf8(bytes, _text, out _, out var written, isFinalBlock: final);
            _out.Write(_text, 0, written);
        }

        public void Dispose()
        {
            if (!_parallel) return;
            if (!_completed) _full!.CompleteAdding();
            try { _writer!.Wait(); } catch (AggregateException) { }
            _full!.Dispose();
            _free!.Dispose();
        }
    }
}
