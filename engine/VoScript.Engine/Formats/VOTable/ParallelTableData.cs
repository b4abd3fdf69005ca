using System.Buffers;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>
/// Reads a TABLEDATA body with both cores: the input is cut into chunks that end
/// after a <c>&lt;/TR&gt;</c>, each chunk is scanned by <see cref="TableDataScanner"/>
/// into its own builders on the thread pool, and the builders are appended in order.
/// Anything unusual (comments, CDATA, the end of the table, a short remainder) is
/// left to the sequential scanner, which also produces every error message: a chunk
/// that fails is scanned again in order so that its row numbers are exact.
/// </summary>
internal sealed class ParallelTableData(
    VOTableInput input, ColumnBuilder[] builders, Func<ColumnBuilder[]> newBuilders, int maxCell, long maxRows, CancellationToken ct)
{
    private const int ChunkSize = 4 << 20;
    private static readonly byte[] Terminator = "</TABLEDATA>"u8.ToArray();

    private sealed record Chunk(byte[] Data, int Length, int Line, int Column, Task<(ColumnBuilder[]? Cols, long Rows, bool Failed)> Work);

    public long Run()
    {
        long rows = 0;
        var pending = new Queue<Chunk>();
        var inFlight = Math.Max(2, Environment.ProcessorCount + 1);
        var (line, col) = input.PositionOf(input.Pos);
        try
        {
            while (Environment.ProcessorCount > 1)
            {
                while (input.End - input.Pos < ChunkSize && input.FillMore()) { }
                var span = input.Buf.AsSpan(input.Pos, input.End - input.Pos);
                if (span.Length < ChunkSize / 2) break;
                var lastTr = span.LastIndexOf("</TR>"u8);
                if (lastTr < 0) break;
                var body = span[..(lastTr + 5)];
                if (body.IndexOf("<!"u8) >= 0 || body.IndexOf("TABLEDATA"u8) >= 0) break;
                var data = ArrayPool<byte>.Shared.Rent(body.Length + Terminator.Length);
                body.CopyTo(data);
                Terminator.CopyTo(data.AsSpan(body.Length));
                var len = body.Length + Terminator.Length;
                var (chunkLine, chunkCol) = (line, col);
                var work = Task.Run(() => Scan(data, len, chunkLine, chunkCol), ct);
                pending.Enqueue(new Chunk(data, len, chunkLine, chunkCol, work));
                // the position after this chunk, counted incrementally
                var nl = body.LastIndexOf((byte)'\n');
                if (nl >= 0) { line += body.Count((byte)'\n'); col = body.Length - nl; }
                else col += body.Length;
                input.Pos += body.Length;
                while (pending.Count >= inFlight) rows += Merge(pending.Dequeue(), rows);
            }
            while (pending.Count > 0) rows += Merge(pending.Dequeue(), rows);
        }
        finally
        {
            foreach (var c in pending) { try { c.Work.Wait(); } catch (AggregateException) { } ArrayPool<byte>.Shared.Return(c.Data); }
        }
        var rest = new TableDataScanner(input, builders, maxCell, ct, rows, maxRows);
        rest.Run();
        return rest.Rows;
    }

    private (ColumnBuilder[]? Cols, long Rows, bool Failed) Scan(byte[] data, int len, int line, int col)
    {
        var cols = newBuilders();
        var s = new TableDataScanner(new VOTableInput(data, len, line, col), cols, maxCell, ct);
        try { s.Run(); }
        catch (VOTableFormatException) { return (null, 0, true); }
        return (cols, s.Rows, false);
    }

    private long Merge(Chunk c, long rowsBefore)
    {
        try
        {
            var (cols, n, failed) = c.Work.GetAwaiter().GetResult();
            if (failed || rowsBefore + n > maxRows)
            {
                // scan again, in order, for the exact message (row numbers count from the table start; the row limit
                // stops it at the first row too many, before the chunk's columns join the table)
                var again = new TableDataScanner(new VOTableInput(c.Data, c.Length, c.Line, c.Column), newBuilders(), maxCell, ct, rowsBefore, maxRows);
                again.Run();
                throw new InvalidOperationException("a TABLEDATA chunk failed once and then succeeded");
            }
            for (var i = 0; i < builders.Length; i++) builders[i].AppendFrom(cols![i]);
            return n;
        }
        finally { ArrayPool<byte>.Shared.Return(c.Data); }
    }
}
