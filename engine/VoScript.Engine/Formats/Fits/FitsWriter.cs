using System.Globalization;
using System.Numerics;
using VoScript.Engine.Model;

namespace VoScript.Engine.Formats.Fits;

/// <summary>
/// Writes a table as FITS in STILTS's FITS-plus form: a primary HDU holding the table's
/// VOTable metadata (so STILTS, TOPCAT and VoScript get units, UCDs, descriptions, params
/// back) and one BINTABLE extension with the data (TNULL for integer nulls, NaN for
/// floating-point ones, TDIM for arrays, P/Q descriptors for variable-length arrays).
/// A column FITS cannot hold is refused by name with the reason.
/// </summary>
internal static class FitsWriter
{
    public static void Write(Table table, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(table);
        var encoders = Plan(table);
        long rowWidth = 0;
        foreach (var e in encoders) { e.Offset = (int)rowWidth; rowWidth += e.Width; }
        if (rowWidth > int.MaxValue) throw new VoScriptException($"cannot write table '{table.Name}' as FITS: a row would be {rowWidth} bytes, more than 2 GB");
        long heap = 0;
        foreach (var e in encoders) { e.HeapBase = heap; heap += e.HeapBytes; }
        var wide = heap > int.MaxValue;
        if (wide) encoders = Plan(table, wide: true);
        if (wide) { rowWidth = 0; heap = 0; foreach (var e in encoders) { e.Offset = (int)rowWidth; rowWidth += e.Width; e.HeapBase = heap; heap += e.HeapBytes; } }

        // primary HDU: the VOTable metadata as bytes
        var meta = FitsPlus.Metadata(MetadataTable(table, encoders));
        var p = new FitsHeaderWriter();
        p.Logical("SIMPLE", true, "Standard FITS format");
        p.Integer("BITPIX", 8, "Character data");
        p.Integer("NAXIS", 1, "Text string");
        p.Integer("NAXIS1", meta.Length, "Number of characters");
        p.Logical("VOTMETA", true, "Table metadata in VOTable format");
        p.Logical("EXTEND", true, "There are standard extensions");
        p.Comment("The data in this primary HDU is a VOTable document (FITS-plus) that");
        p.Comment("describes the table in the following BINTABLE extension.");
        p.Integer("NTABLE", 1, "Number of following BINTABLE HDUs");
        stream.Write(p.ToBytes());
        stream.Write(meta);
        stream.Write(new byte[FitsInput.Padding(meta.Length)]);

        // the BINTABLE
        var rows = table.RowCount;
        var h = new FitsHeaderWriter();
        h.String("XTENSION", "BINTABLE", "binary table extension");
        h.Integer("BITPIX", 8, "8-bit bytes");
        h.Integer("NAXIS", 2, "2-dimensional table");
        h.Integer("NAXIS1", rowWidth, "width of table in bytes");
        h.Integer("NAXIS2", rows, "number of rows in table");
        h.Integer("PCOUNT", heap, "size of special data area");
        h.Integer("GCOUNT", 1, "one data group");
        h.Integer("TFIELDS", encoders.Count, "number of columns");
        if (table.Name is { Length: > 0 } name) h.String("EXTNAME", name, "table name");
        for (var i = 0; i < encoders.Count; i++)
        {
            var e = encoders[i];
            var f = e.Column.Field;
            var n = (i + 1).ToString(CultureInfo.InvariantCulture);
            h.String("TTYPE" + n, f.Name, "label for column " + n);
            h.String("TFORM" + n, e.Tform, "format for column " + n);
            if (f.Unit is { Length: > 0 } u) h.String("TUNIT" + n, u, "units for column " + n);
            if (e.TNull is { } tn) h.Integer("TNULL" + n, tn, "blank value for column " + n);
            if (e.Dims is { Length: > 1 } dims) h.String("TDIM" + n, "(" + string.Join(",", dims) + ")", "dimensions for column " + n);
            if (FitsColumnSpec.DisplayOf(f, e.Code) is { } disp) h.String("TDISP" + n, disp);
            if (f.Description is { Length: > 0 } d) h.String("TCOMM" + n, d.ReplaceLineEndings(" "));
            if (f.Ucd is { Length: > 0 } ucd) h.String("TUCD" + n, ucd);
        }
        stream.Write(h.ToBytes());

        if (rowWidth > 0 && rows > 0) WriteRows(stream, encoders, (int)rowWidth, rows);
        foreach (var e in encoders) e.WriteHeap(stream);
        stream.Write(new byte[FitsInput.Padding(checked(rowWidth * rows + heap))]);
    }

    /// <summary>Bytes of rows encoded at a time.</summary>
    internal const int ChunkBytes = 4 << 20;

    /// <summary>
    /// Encodes the rows a chunk at a time, in slices on all cores (all columns of a slice at once), while the chunk
    /// before is written: one large write per chunk, two chunk buffers in all.
    /// </summary>
    private static void WriteRows(Stream stream, List<FitsColumnEncoder> encoders, int rowWidth, int rows)
    {
        var sliced = encoders.Where(e => e.Splittable).ToArray();
        var ordered = encoders.Where(e => !e.Splittable).ToArray();
        var chunk = Math.Min(rows, Math.Max(1, ChunkBytes / rowWidth));
        var buffers = new byte[rows > chunk ? 2 : 1][];
        for (var i = 0; i < buffers.Length; i++) buffers[i] = GC.AllocateUninitializedArray<byte>(chunk * rowWidth);
        Task? writing = null;
        try
        {
            for (int first = 0, k = 0; first < rows; first += chunk, k++)
            {
                var n = Math.Min(chunk, rows - first);
                var buf = buffers[k % buffers.Length];
                EncodeChunk(buf, first, n, rowWidth, sliced, ordered);
                if (writing is not null)
                {
                    var w = writing;
                    writing = null;
                    w.GetAwaiter().GetResult();
                }
                var bytes = n * rowWidth;
                if (buffers.Length == 1) stream.Write(buf, 0, bytes);
                else writing = Task.Run(() => stream.Write(buf, 0, bytes));
            }
            if (writing is not null)
            {
                var w = writing;
                writing = null;
                w.GetAwaiter().GetResult();
            }
        }
        finally
        {
            // an encoding that fails while a chunk is written: let the write end before the stream goes
            try { writing?.Wait(); }
            catch (AggregateException) { }
        }
    }

    private static void EncodeChunk(byte[] buf, int first, int n, int rowWidth, FitsColumnEncoder[] sliced, FitsColumnEncoder[] ordered)
    {
        var cores = Environment.ProcessorCount;
        var slice = cores > 1 && (long)n * rowWidth >= 1 << 18 ? Math.Max(64, n / (2 * cores) + 1) : n;
        var slices = (n + slice - 1) / slice;
        var items = slices + (ordered.Length > 0 ? 1 : 0);
        if (items <= 1 || slice == n)
        {
            var span = buf.AsSpan(0, n * rowWidth);
            foreach (var e in ordered) e.Encode(first, n, span, rowWidth);
            foreach (var e in sliced) e.Encode(first, n, span, rowWidth);
            return;
        }
        Parallel.For(0, items, i =>
        {
            if (i == slices)
            {
                var all = buf.AsSpan(0, n * rowWidth);
                foreach (var e in ordered) e.Encode(first, n, all, rowWidth);
                return;
            }
            var from = i * slice;
            var count = Math.Min(slice, n - from);
            var span = buf.AsSpan(from * rowWidth, count * rowWidth);
            foreach (var e in sliced) e.Encode(first + from, count, span, rowWidth);
        });
    }

    /// <summary>The metadata the primary HDU describes: the table's, with integer nulls as the TNULLs written.</summary>
    private static Table MetadataTable(Table t, List<FitsColumnEncoder> encoders)
    {
        var m = t.CopyMetadata();
        foreach (var e in encoders)
        {
            var f = e.Column.Field.Clone();
            if (e.TNull is { } tn)
            {
                f.Values ??= new FieldValues();
                f.Values.Null = tn.ToString(CultureInfo.InvariantCulture);
            }
            else if (f.Values is not null && f.DataType.IsInteger()) f.Values.Null = null;
            m.AddColumn(e.Column.Select([], f));
        }
        return m;
    }

    /// <summary>An encoder per column, or one error naming every column FITS cannot hold and why.</summary>
    internal static List<FitsColumnEncoder> Plan(Table table, bool wide = false)
    {
        if (table.ColumnCount > 999)
            throw new VoScriptException($"cannot write table '{table.Name}' as FITS: it has {table.ColumnCount} columns and a FITS binary table holds at most 999 (select fewer columns, or save as VOTable)");
        var list = new List<FitsColumnEncoder>();
        var problems = new List<string>();
        foreach (var c in table.Columns)
        {
            var enc = For(c, wide, out var why);
            if (enc is null) problems.Add($"column '{c.Name}' ({c.Field.DataType.VOTableName()}{(c.Field.ArraySize.IsScalar ? "" : "[" + c.Field.ArraySize + "]")}): {why}");
            else list.Add(enc);
        }
        if (problems.Count > 0)
            throw new VoScriptException($"cannot write table '{table.Name}' as FITS: {string.Join("; ", problems)}. Save it as VOTable (.vot) instead, or drop or convert those columns");
        return list;
    }

    private static FitsColumnEncoder? For(Column c, bool wide, out string why)
    {
        why = "";
        var f = c.Field;
        switch (c)
        {
            case StringColumn s:
                var w = StringEncoder.MaxBytes(s);
                return new StringEncoder { Column = c, Tform = w.ToString(CultureInfo.InvariantCulture) + "A", Code = 'A', Width = w, Utf8 = StringEncoder.ValidUtf8(s) };
            // a single bit is written as L: readers take 1X for an array of one (the FITS-plus metadata says bit)
            case ScalarColumn<bool>: return Scalar<bool>(c, 'L');
            case ScalarColumn<byte> b: return Scalar<byte>(c, 'B', NullChoice.For(b, 0, 255));
            case ScalarColumn<short> s16: return Scalar<short>(c, 'I', NullChoice.For(s16, short.MinValue, short.MaxValue));
            case ScalarColumn<int> s32: return Scalar<int>(c, 'J', NullChoice.For(s32, int.MinValue, int.MaxValue));
            case ScalarColumn<long> s64: return Scalar<long>(c, 'K', NullChoice.For(s64, long.MinValue, long.MaxValue));
            case ScalarColumn<float>: return Scalar<float>(c, 'E');
            case ScalarColumn<double>: return Scalar<double>(c, 'D');
            case ScalarColumn<ComplexFloat>: return Scalar<ComplexFloat>(c, 'C');
            case ScalarColumn<Complex>: return Scalar<Complex>(c, 'M');
            case ArrayColumn<bool>: return Array<bool>(c, f.DataType == DataType.Bit ? 'X' : 'L', wide, out why);
            case ArrayColumn<byte> b: return Array<byte>(c, 'B', wide, out why, NullChoice.For(b, 0, 255));
            case ArrayColumn<short> s16: return Array<short>(c, 'I', wide, out why, NullChoice.For(s16, short.MinValue, short.MaxValue));
            case ArrayColumn<int> s32: return Array<int>(c, 'J', wide, out why, NullChoice.For(s32, int.MinValue, int.MaxValue));
            case ArrayColumn<long> s64: return Array<long>(c, 'K', wide, out why, NullChoice.For(s64, long.MinValue, long.MaxValue));
            case ArrayColumn<float>: return Array<float>(c, 'E', wide, out why);
            case ArrayColumn<double>: return Array<double>(c, 'D', wide, out why);
            case ArrayColumn<ComplexFloat>: return Array<ComplexFloat>(c, 'C', wide, out why);
            case ArrayColumn<Complex>: return Array<Complex>(c, 'M', wide, out why);
            case ArrayColumn<char>: return Array<char>(c, 'A', wide, out why);
        }
        why = $"cells of type {c.ElementType.Name} have no FITS binary table type";
        return null;
    }

    private static ScalarEncoder<T> Scalar<T>(Column c, char code, long? tnull = null) where T : unmanaged =>
        new() { Column = c, Tform = code.ToString(), Code = code, Width = FitsColumnEncoder.SizeOf<T>(), TNull = tnull };

    private static FitsColumnEncoder? Array<T>(Column c, char code, bool wide, out string why, long? tnull = null) where T : unmanaged
    {
        why = "";
        var col = (ArrayColumn<T>)c;
        var size = c.Field.ArraySize;
        if (size.IsVariable)
        {
            if (size.FixedDimensions.Count > 0)
            {
                why = "FITS variable-length arrays have one dimension; an array that varies in its last of several dimensions cannot be stored";
                return null;
            }
            if (code == 'A')
            {
                why = "FITS cannot store a variable number of strings in one cell";
                return null;
            }
            var max = 0;
            for (var r = 0; r < col.Count; r++) max = Math.Max(max, col[r].Length);
            var d = wide ? 'Q' : 'P';
            return new VarArrayEncoder<T>
            {
                Column = c, Code = code, Wide = wide, Width = wide ? 16 : 8, TNull = tnull,
                Tform = $"1{d}{code}({max.ToString(CultureInfo.InvariantCulture)})",
            };
        }
        var dims = size.FixedDimensions.ToArray();
        long repeat = 1;
        foreach (var x in dims) repeat *= x;
        if (dims.Length == 0)
        {
            // no declared shape: the longest cell decides
            for (var r = 0; r < col.Count; r++) repeat = Math.Max(repeat, col[r].Length);
            dims = [(int)repeat];
        }
        var width = code == 'X' ? (repeat + 7) / 8 : repeat * FitsColumnEncoder.SizeOf<T>();
        if (width > int.MaxValue / 2)
        {
            why = $"a cell of {width} bytes is too large for a FITS row";
            return null;
        }
        return new FixedArrayEncoder<T>
        {
            Column = c, Code = code, Repeat = (int)repeat, Width = (int)width, Dims = dims, TNull = tnull,
            Tform = repeat.ToString(CultureInfo.InvariantCulture) + code,
        };
    }
}
