using System.Buffers.Binary;
using System.Runtime.ExceptionServices;
using VoScript.Engine.Formats.Streams;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>
/// The decoded bytes of a BINARY/BINARY2 stream, kept in blocks that each hold whole rows, with the start of every
/// row (and of the part of the row after each variable-length cell) found by <see cref="ColumnarBinaryDecoder"/>.
/// </summary>
internal sealed class BinaryBlocks
{
    /// <summary>One block: <see cref="Data"/>[0..<see cref="Length"/>) holds <see cref="Rows"/> whole rows.</summary>
    internal sealed class Block
    {
        public required byte[] Data;
        public int Length;
        public int Rows;
        /// <summary>Per row, <see cref="Segments"/> offsets into <see cref="Data"/>: the row's start, then where the row goes on after each variable-length cell.</summary>
        public int[] Starts = new int[4096];

        /// <summary>Threads still to decode their columns of this block; the last one releases its memory.</summary>
        public int Pending;

        /// <summary>Returns the block's memory to the system as soon as every column has been decoded from it.</summary>
        public void Release()
        {
            LargeArrays.Discard(Data);
            LargeArrays.Discard(Starts);
            Data = [];
            Starts = [];
        }
    }

    public readonly List<Block> Blocks = [];

    /// <summary>Rows in all blocks.</summary>
    public int Rows;

    /// <summary>Offsets kept per row: one, plus one per variable-length column.</summary>
    public int Segments;

    /// <summary>Per column, the bytes of its variable-length cells (their contents, not their counts).</summary>
    public long[] VariableBytes = [];
}

/// <summary>
/// Decodes BINARY and BINARY2 rows in two steps. First the decoded bytes are kept in large blocks while the rows are
/// walked (only the lengths of variable-length cells are read): that gives the exact number of rows, so every column
/// array is made once at its final size (no growing, no trimming copy). Then each column is decoded on its own, in a
/// tight loop over the rows, the columns shared between two threads. Only columns of scalars and of strings take this
/// way (<see cref="ColumnBuilder.BinaryLayout"/>); other tables, and every stream the walk finds anything wrong with
/// (a negative or too large length, a truncated row, too many rows, an error of the source), go through the row by
/// row decoder with everything read so far, so that errors, limits and messages are those of that decoder.
/// </summary>
internal static class ColumnarBinaryDecoder
{
    private const int BlockSize = 4 << 20;

    /// <summary>Benchmarks and tests only: decode every table row by row.</summary>
    [ThreadStatic] internal static bool RowByRow;

    /// <summary>Whether the columnar way applies to these (fresh) builders.</summary>
    public static bool Supports(ColumnBuilder[] cols, int maxCell)
    {
        if (RowByRow || cols.Length == 0 || maxCell < 4) return false;
        long fixedBytes = 0;
        var variable = false;
        foreach (var c in cols)
        {
            if (c.Count != 0 || !c.BinaryLayout(out var size, out var element)) return false;
            if (element > 0) variable = true;
            else if (size > maxCell) return false;
            fixedBytes += size;
        }
        return variable || fixedBytes > 0;
    }

    /// <summary>
    /// Decodes the rows of <paramref name="source"/> into <paramref name="cols"/> and returns their number; falls back to
    /// <paramref name="rowByRow"/> (given a stream of every byte read so far followed by the rest) when the walk finds a problem.
    /// </summary>
    public static long Decode(Stream source, ColumnBuilder[] cols, bool binary2, int maxCell, long maxRows,
        Func<Stream, long> rowByRow, CancellationToken ct)
    {
        var n = cols.Length;
        var flagBytes = binary2 ? (n + 7) / 8 : 0;
        // the row as segments: fixed bytes, then (except after the last) a variable-length cell
        var segOf = new int[n];
        var offIn = new int[n];
        var fixedLen = new List<int>();
        var varCol = new List<int>();
        var varElem = new List<int>();
        var cur = flagBytes;
        for (var c = 0; c < n; c++)
        {
            cols[c].BinaryLayout(out var size, out var element);
            segOf[c] = varCol.Count;
            offIn[c] = cur;
            if (element > 0)
            {
                fixedLen.Add(cur);
                varCol.Add(c);
                varElem.Add(element);
                cur = 0;
            }
            else cur += size;
        }
        fixedLen.Add(cur);
        // a variable-length cell at the end of the row starts no segment with columns in it: nothing to keep for it
        var blocks = new BinaryBlocks { Segments = varCol.Count + (segOf[n - 1] == varCol.Count ? 1 : 0), VariableBytes = new long[n] };
        if (!Walk(source, blocks, fixedLen.ToArray(), varCol.ToArray(), varElem.ToArray(), maxCell, maxRows, ct, out var rest))
            return rowByRow(rest!);

        // columns to two threads, balanced by bytes
        var cost = new long[n];
        for (var c = 0; c < n; c++)
        {
            cols[c].BinaryLayout(out var size, out _);
            cost[c] = (long)size * blocks.Rows + blocks.VariableBytes[c] + blocks.Rows;
        }
        var order = Enumerable.Range(0, n).OrderByDescending(c => cost[c]).ToArray();
        var mine = new List<int>();
        var other = new List<int>();
        long a = 0, b = 0;
        foreach (var c in order)
        {
            if (a <= b) { mine.Add(c); a += cost[c]; }
            else { other.Add(c); b += cost[c]; }
        }
        // block by block, each thread its columns; a block's memory goes back as soon as both threads are past it,
        // so that the decoded bytes shrink while the columns grow
        var parallel = Environment.ProcessorCount > 1 && blocks.Rows >= 4096 && other.Count > 0;
        foreach (var blk in blocks.Blocks) blk.Pending = parallel ? 2 : 1;
        var segs = blocks.Segments;
        void Run(List<int> which)
        {
            foreach (var c in which) cols[c].BeginColumn(blocks, c);
            foreach (var blk in blocks.Blocks)
            {
                ct.ThrowIfCancellationRequested();
                foreach (var c in which) cols[c].DecodeBlock(blk, segs, c, segOf[c], offIn[c], binary2);
                if (Interlocked.Decrement(ref blk.Pending) == 0) blk.Release();
            }
        }
        if (parallel)
        {
            var task = Task.Run(() => Run(other), ct);
            try { Run(mine); }
            finally
            {
                try { task.Wait(CancellationToken.None); }
                catch (AggregateException e) when (e.InnerExceptions.Count == 1) { ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw(); }
            }
        }
        else Run(order.ToList());
        return blocks.Rows;
    }

    /// <summary>
    /// Reads the whole source into blocks, finding the rows; false (with <paramref name="rest"/>: everything read so far,
    /// then the rest of the source or its error) when the row by row decoder must take over.
    /// </summary>
    private static bool Walk(Stream source, BinaryBlocks into, int[] fixedLen, int[] varCol, int[] varElem, int maxCell,
        long maxRows, CancellationToken ct, out Stream? rest)
    {
        rest = null;
        var segs = into.Segments;
        var data = LargeArrays.Uninitialized<byte>(BlockSize);
        var blk = new BinaryBlocks.Block { Data = data };
        var filled = 0;   // bytes of data read
        var walked = 0;   // start of the first row not yet complete
        long rows = 0;
        var nVar = varCol.Length;
        var lastFixed = fixedLen[nVar];
        var pending = new long[nVar];
        while (true)
        {
            // the complete rows
            while (walked < filled)
            {
                if (rows >= maxRows) return Bail(into, blk, filled, source, null, out rest);
                long p = walked;
                var ok = true;
                var starts = blk.Starts;
                var at = blk.Rows * segs;
                if (at + segs > starts.Length) blk.Starts = starts = LargeArrays.Grown(starts, at, Math.Max(starts.Length * 2, at + segs));
                starts[at] = walked;
                for (var k = 0; k < nVar; k++)
                {
                    p += fixedLen[k];
                    if (p + 4 > filled) { ok = false; break; }
                    var count = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan((int)p, 4));
                    var bytes = (long)count * varElem[k];
                    if (count < 0 || bytes > maxCell || bytes > Array.MaxLength) return Bail(into, blk, filled, source, null, out rest);
                    p += 4 + bytes;
                    pending[k] = bytes;
                    if (k + 1 < segs) starts[at + k + 1] = (int)Math.Min(p, int.MaxValue);
                }
                if (!ok || p + lastFixed > filled) break;
                for (var k = 0; k < nVar; k++) into.VariableBytes[varCol[k]] += pending[k];
                walked = (int)(p + lastFixed);
                blk.Rows++;
                rows++;
                if ((rows & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            }
            if (filled == data.Length)
            {
                // full: the complete rows stay, the incomplete one moves to a new (larger, if one row needs it) block
                var tail = filled - walked;
                var next = LargeArrays.Uninitialized<byte>((int)Math.Min(Array.MaxLength, Math.Max((long)BlockSize, 2L * tail + 4096)));
                data.AsSpan(walked, tail).CopyTo(next);
                if (blk.Rows > 0)
                {
                    blk.Length = walked;
                    into.Blocks.Add(blk);
                    blk = new BinaryBlocks.Block { Data = next };
                }
                else blk.Data = next;
                data = next;
                filled = tail;
                walked = 0;
            }
            int r;
            try { r = source.Read(data, filled, data.Length - filled); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Bail(into, blk, filled, source, ExceptionDispatchInfo.Capture(e), out rest);
            }
            if (r <= 0)
            {
                if (walked < filled) return Bail(into, blk, filled, source, null, out rest);   // truncated row
                break;
            }
            filled += r;
        }
        blk.Length = walked;
        if (blk.Rows > 0) into.Blocks.Add(blk);
        if (rows > int.MaxValue - 1) return Bail(into, null, 0, source, null, out rest);
        into.Rows = (int)rows;
        return true;
    }

    private static bool Bail(BinaryBlocks into, BinaryBlocks.Block? current, int filled, Stream source, ExceptionDispatchInfo? error, out Stream? rest)
    {
        var parts = new List<Stream>();
        foreach (var b in into.Blocks) parts.Add(new MemoryStream(b.Data, 0, b.Length, writable: false));
        if (current is not null) parts.Add(new MemoryStream(current.Data, 0, filled, writable: false));
        parts.Add(error is null ? source : new FailingStream(error));
        rest = new ConcatStream(parts);
        into.Blocks.Clear();
        return false;
    }

    /// <summary>Streams one after the other.</summary>
    private sealed class ConcatStream(List<Stream> parts) : ReadOnlyStream
    {
        private int _i;

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (_i < parts.Count)
            {
                var r = parts[_i].Read(buffer, offset, count);
                if (r > 0) return r;
                _i++;
            }
            return 0;
        }
    }

    /// <summary>A stream that throws the error its source threw.</summary>
    private sealed class FailingStream(ExceptionDispatchInfo error) : ReadOnlyStream
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            error.Throw();
            return 0;
        }
    }
}
