using System.Globalization;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;
using VoScript.Engine.Formats.Streams;

namespace VoScript.Engine.Formats.Fits;

/// <summary>
/// Reads the first (or the chosen) BINTABLE extension of a FITS file into a <see cref="Table"/>,
/// streaming: headers block by block, rows in chunks decoded column by column, the heap only
/// when variable-length arrays need it. A FITS-plus primary HDU (VOTable metadata, as STILTS
/// writes it) restores names, units, UCDs, descriptions, params and groups. Corrupt or cut
/// files give one <see cref="FitsFormatException"/> that says where and what. Bounded by
/// <see cref="ReaderLimits"/>: bytes read (MaxDecodedBytes), columns (MaxColumns), elements of one cell
/// (MaxArrayElements, fixed and variable arrays), bytes of one row or cell (MaxCellLength), rows (MaxRows, checked on
/// NAXIS2 before any row is read), the FITS-plus metadata by the VOTable limits; the cancellation token stops it between chunks.
/// </summary>
internal static class FitsReader
{
    /// <summary>Largest FITS-plus VOTable metadata read from the primary HDU.</summary>
    public const int MaxMetadataBytes = 64 * 1024 * 1024;

    /// <summary>Most HDUs looked at for a table.</summary>
    public const int MaxHdus = 10000;

    /// <summary>Whether the bytes start like a FITS file (<c>SIMPLE  =</c>).</summary>
    public static bool LooksLikeFits(ReadOnlySpan<byte> head) => head.StartsWith("SIMPLE  ="u8);

    /// <summary>
    /// Reads the table chosen by <paramref name="options"/> (TableIndex counts BINTABLE extensions
    /// from 0; TableName matches EXTNAME) from <paramref name="stream"/>; <paramref name="name"/> is used in messages.
    /// </summary>
    public static Table Read(Stream stream, string name, VOTableReadOptions? options = null, CancellationToken ct = default)
    {
        var limits = options?.Limits ?? ReaderLimits.Default;
        var input = new FitsInput(new ByteLimitStream(stream, limits.MaxDecodedBytes, $"'{name}' (ReaderLimits.MaxDecodedBytes)", ct), name)
        {
            Size = stream is PrefixedStream p ? p.Remaining : stream.CanSeek ? stream.Length - stream.Position : null,
        };
        try
        {
            return Read(input, name, options, limits, ct);
        }
        catch (InvalidDataException e)
        {
            throw new FitsFormatException($"cannot read '{name}' (at byte {input.Position}): {e.Message}");
        }
    }

    private static Table Read(FitsInput input, string name, VOTableReadOptions? options, ReaderLimits limits, CancellationToken ct)
    {
        var primary = FitsHeader.Read(input, "the primary HDU") ?? throw new FitsFormatException($"'{name}' is empty");
        byte[]? meta = null;
        var primarySize = DataSize(primary);
        var hdus = new List<string> { Describe(primary, 0) };
        if (primary.GetBool("VOTMETA") == true && primary.GetLong("BITPIX") == 8 && primary.GetLong("NAXIS") == 1 && primarySize <= MaxMetadataBytes)
        {
            meta = new byte[primarySize];
            input.ReadExactly(meta, () => "the VOTable metadata of the primary HDU");
            input.Skip(FitsInput.Padding(primarySize), "the padding of the primary HDU", eofOk: true);
        }
        else input.Skip(Padded(primarySize, primary), "the data of the primary HDU", eofOk: primarySize == 0);
        var wanted = options?.TableIndex ?? 0;
        var byName = options?.TableName;
        var tables = 0;
        for (var hdu = 1; hdu < MaxHdus; hdu++)
        {
            var where = $"HDU {hdu}";
            var h = FitsHeader.Read(input, where);
            if (h is null) break;
            var xt = h.GetString("XTENSION")?.Trim();
            if (xt is null) throw new FitsFormatException($"{where} of '{name}' does not start with XTENSION (corrupt file, or data after the last HDU)");
            var extName = h.GetString("EXTNAME")?.Trim();
            h.Where = extName is null ? $"{where} ({xt})" : $"{where} ({xt} '{extName}')";
            hdus.Add(Describe(h, hdu));
            if (xt is "BINTABLE" or "A3DTABLE")
            {
                var match = byName is null ? tables == wanted : string.Equals(extName, byName, StringComparison.OrdinalIgnoreCase);
                tables++;
                if (match)
                {
                    var clock = Timings.Start();
                    var t = ReadBinTable(input, h, limits, ct);
                    clock = Timings.Stop(clock, $"FITS rows of '{name}'");
                    if (meta is not null) FitsPlus.Apply(t, meta, tables - 1, limits);
                    Timings.Stop(clock, $"FITS-plus metadata of '{name}'");
                    t.Name ??= extName;
                    return t;
                }
            }
            var size = DataSize(h);
            input.Skip(Padded(size, h), $"the data of {h.Where}", eofOk: false);
        }
        if (tables == 0 && (meta is not null || primary.GetLong("NTABLE") > 0))
            throw input.Truncated("the place where the binary table its primary HDU announces should start");
        var which = byName is not null ? $"no binary table extension named '{byName}'"
            : wanted > 0 ? $"fewer than {wanted + 1} binary table extensions"
            : "no binary table (BINTABLE) extension";
        var notTable = byName is null && wanted == 0 ? "not a table: " : "";
        throw new FitsFormatException($"{notTable}'{name}' is a FITS file with {which}; it holds {string.Join(", ", hdus)}");
    }

    private static long Padded(long size, FitsHeader h) =>
        checked(size + FitsInput.Padding(size));

    /// <summary>The data size of an HDU in bytes: |BITPIX|/8 × GCOUNT × (PCOUNT + NAXIS1 × … × NAXISn), checked.</summary>
    internal static long DataSize(FitsHeader h)
    {
        var bitpix = h.RequireLong("BITPIX", -64, 64);
        if (bitpix is not (8 or 16 or 32 or 64 or -32 or -64))
            throw new FitsFormatException($"{h.Where}: BITPIX = {bitpix} is not one of 8, 16, 32, 64, -32, -64 (corrupt header?)");
        var naxis = h.RequireLong("NAXIS", 0, 999);
        if (naxis == 0) return 0;
        try
        {
            long n = 1;
            var random = h.Has("SIMPLE") && h.GetLong("NAXIS1") == 0 && h.GetBool("GROUPS") == true;
            for (var i = random ? 2 : 1; i <= naxis; i++)
                n = checked(n * h.RequireLong("NAXIS" + i.ToString(CultureInfo.InvariantCulture), 0, long.MaxValue));
            var pcount = h.GetLong("PCOUNT") ?? 0;
            var gcount = h.GetLong("GCOUNT") ?? 1;
            if (pcount < 0 || gcount < 0) throw new FitsFormatException($"{h.Where}: PCOUNT and GCOUNT must not be negative (corrupt header?)");
            return checked(Math.Abs(bitpix) / 8 * gcount * (pcount + n));
        }
        catch (OverflowException)
        {
            throw new FitsFormatException($"{h.Where}: the data size its header declares overflows 64 bits (corrupt header?)");
        }
    }

    private static string Describe(FitsHeader h, int index)
    {
        var kind = index == 0 ? "a primary HDU" : $"HDU {index} ({h.GetString("XTENSION")?.Trim()})";
        var naxis = h.GetLong("NAXIS") ?? 0;
        if (naxis == 0) return kind + " without data";
        var dims = new List<string>();
        for (var i = 1; i <= naxis && i <= 9; i++) dims.Add((h.GetLong("NAXIS" + i.ToString(CultureInfo.InvariantCulture)) ?? 0).ToString(CultureInfo.InvariantCulture));
        if (index > 0 && h.GetString("XTENSION")?.Trim() is "BINTABLE" or "TABLE")
            return $"{kind} of {h.GetLong("NAXIS2")} rows";
        var what = index == 0 && h.GetBool("VOTMETA") == true ? "VOTable metadata" : $"{naxis}-d image {string.Join("×", dims)}";
        return $"{kind}: {what} (BITPIX {h.GetLong("BITPIX")})";
    }

    private static Table ReadBinTable(FitsInput input, FitsHeader h, ReaderLimits limits, CancellationToken ct)
    {
        if (h.RequireLong("BITPIX", -64, 64) != 8) throw new FitsFormatException($"{h.Where}: BITPIX must be 8 for a binary table");
        if (h.RequireLong("NAXIS", 0, 999) != 2) throw new FitsFormatException($"{h.Where}: NAXIS must be 2 for a binary table");
        var rowWidth = h.RequireLong("NAXIS1", 0, int.MaxValue);
        var rows = h.RequireLong("NAXIS2", 0, long.MaxValue);
        var pcount = h.RequireLong("PCOUNT", 0, long.MaxValue);
        if (h.RequireLong("GCOUNT", 0, long.MaxValue) != 1) throw new FitsFormatException($"{h.Where}: GCOUNT must be 1 for a binary table");
        var nfields = (int)h.RequireLong("TFIELDS", 0, 999);
        if (rows > Array.MaxLength - 1)
            throw new FitsFormatException($"{h.Where}: NAXIS2 = {rows} rows is more than a table can hold ({Array.MaxLength - 1})");
        if (rows > limits.MaxRows)
            throw new FitsFormatException($"{h.Where}: NAXIS2 = {rows} rows is more than the limit of {limits.MaxRows} rows (ReaderLimits.MaxRows)");
        if (nfields > limits.MaxColumns)
            throw new FitsFormatException($"{h.Where}: TFIELDS = {nfields} columns is more than the limit of {limits.MaxColumns} (ReaderLimits.MaxColumns)");
        if (rowWidth > limits.MaxCellLength)
            throw new FitsFormatException($"{h.Where}: NAXIS1 = {rowWidth} bytes per row is more than the limit of {limits.MaxCellLength} (ReaderLimits.MaxCellLength)");
        var mainBytes = checked(rowWidth * rows);
        var specs = new FitsColumnSpec[nfields];
        var offset = 0L;
        for (var i = 0; i < nfields; i++)
        {
            specs[i] = FitsColumnSpec.Parse(h, i + 1);
            if (!specs[i].IsVariable && specs[i].Repeat > limits.MaxArrayElements)
                throw new FitsFormatException($"{h.Where}: column {i + 1} '{specs[i].Name}' (TFORM{i + 1} = '{specs[i].Tform}') has {specs[i].Repeat} elements per cell, more than the limit of {limits.MaxArrayElements} (ReaderLimits.MaxArrayElements)");
            if (specs[i].IsVariable && specs[i].VarMax > limits.MaxArrayElements)
                throw new FitsFormatException($"{h.Where}: column {i + 1} '{specs[i].Name}' (TFORM{i + 1} = '{specs[i].Tform}') declares up to {specs[i].VarMax} elements per cell, more than the limit of {limits.MaxArrayElements} (ReaderLimits.MaxArrayElements)");
            specs[i].Offset = (int)Math.Min(offset, int.MaxValue);
            offset += specs[i].Width;
        }
        if (offset != rowWidth)
            throw new FitsFormatException($"{h.Where}: the columns' TFORMs add up to {offset} bytes per row but NAXIS1 says {rowWidth} (corrupt header?)");
        var theap = h.GetLong("THEAP") ?? mainBytes;
        if (theap < mainBytes || theap - mainBytes > pcount)
            throw new FitsFormatException($"{h.Where}: THEAP = {theap} does not lie between the end of the rows ({mainBytes}) and the end of the data ({mainBytes + pcount})");

        // initial capacity: what the header says when the file is long enough to hold those rows, else bounded so a
        // corrupt NAXIS2 allocates nothing large before data arrives
        var capacity = input.Size is { } size && size - input.Position >= mainBytes ? (int)rows : (int)Math.Min(rows, 1 << 16);
        var decoders = specs.Select(s => FitsDecoders.Create(s, capacity)).ToArray();
        foreach (var d in decoders) d.ExpectedRows = rows;
        ReadRows(input, h, decoders, (int)rowWidth, rows, ct);
        if (specs.Any(s => s.IsVariable))
        {
            var heapSize = pcount - (theap - mainBytes);
            if (heapSize > Array.MaxLength)
                throw new FitsFormatException($"{h.Where}: the heap of variable-length arrays is {heapSize} bytes, more than VoScript reads into memory ({Array.MaxLength})");
            if (input.Position + (theap - mainBytes) + heapSize > limits.MaxDecodedBytes)
                throw new FitsFormatException($"{h.Where}: the heap of variable-length arrays is {heapSize} bytes, more than the limit of {limits.MaxDecodedBytes} bytes read (ReaderLimits.MaxDecodedBytes)");
            input.Skip(theap - mainBytes, $"the gap before the heap of {h.Where}");
            var heap = new byte[heapSize];
            input.ReadExactly(heap, () => $"the heap (variable-length arrays) of {h.Where}");
            foreach (var d in decoders) d.ResolveHeap(heap, h.Where, limits.MaxArrayElements);
        }
        var table = new Table(h.GetString("EXTNAME")?.Trim() is { Length: > 0 } en ? en : null) { DeclaredRows = rows };
        foreach (var d in decoders) table.AddColumn(d.Build(table));
        return table;
    }

    /// <summary>Bytes of rows read at a time (rounded down to whole multiples of 64 rows where rows are small).</summary>
    internal const int ChunkBytes = 4 << 20;

    /// <summary>
    /// Reads the rows in chunks and decodes each while the next is read. The decoders of fixed-width cells
    /// (<see cref="FitsColumnDecoder.Splittable"/>) take a chunk in slices of whole multiples of 64 rows on all cores, all
    /// columns of a slice at once (the row bytes stay in the cache); the others take each chunk whole, in order.
    /// </summary>
    private static void ReadRows(FitsInput input, FitsHeader h, FitsColumnDecoder[] decoders, int rowWidth, long rows, CancellationToken ct)
    {
        var sliced = decoders.Where(d => d.Splittable).ToArray();
        var others = decoders.Where(d => !d.Splittable).ToArray();
        var perChunk = rowWidth == 0 ? 1 << 16 : Math.Max(1, ChunkBytes / rowWidth);
        if (perChunk >= 64) perChunk &= ~63;
        var chunkRows = (int)Math.Min(rows, perChunk);
        var aligned = chunkRows == rows || chunkRows % 64 == 0;
        var buffers = new byte[rows > chunkRows ? 2 : 1][];
        for (var i = 0; i < buffers.Length; i++) buffers[i] = GC.AllocateUninitializedArray<byte>(Math.Max(1, chunkRows * rowWidth));
        Task? pending = null;
        long done = 0;
        try
        {
            for (var k = 0; done < rows; k++)
            {
                var n = (int)Math.Min(chunkRows, rows - done);
                var buf = buffers[k % buffers.Length];
                var from = done;
                ct.ThrowIfCancellationRequested();
                // read while the previous chunk is decoded
                input.ReadExactly(buf.AsSpan(0, n * rowWidth), () => $"the rows of {h.Where} (after about row {from} of {rows})");
                if (pending is not null)
                {
                    var p = pending;
                    pending = null;
                    p.GetAwaiter().GetResult();
                }
                foreach (var d in sliced) d.Reserve((int)(done + n));
                var first = (int)done;
                if (buffers.Length == 1) DecodeChunk(buf, n, first, rowWidth, sliced, others, aligned);
                else pending = Task.Run(() => DecodeChunk(buf, n, first, rowWidth, sliced, others, aligned), ct);
                done += n;
            }
            if (pending is not null)
            {
                var p = pending;
                pending = null;
                p.GetAwaiter().GetResult();
            }
        }
        finally
        {
            // a chunk still decoding when the input fails: let it end before its storage goes
            try { pending?.Wait(CancellationToken.None); }
            catch (AggregateException) { }
        }
        foreach (var d in sliced) d.Rows = (int)done;
    }

    /// <summary>Decodes the <paramref name="n"/> rows of <paramref name="buf"/> (rows <paramref name="first"/>.. of the table).</summary>
    private static void DecodeChunk(byte[] buf, int n, int first, int rowWidth, FitsColumnDecoder[] sliced, FitsColumnDecoder[] others, bool aligned)
    {
        var cores = Environment.ProcessorCount;
        var slice = n;
        if (aligned && cores > 1 && (long)n * rowWidth >= 1 << 18 && sliced.Length > 0)
            slice = Math.Max(64, (n / (2 * cores) + 63) & ~63);
        var slices = (n + slice - 1) / slice;
        var items = slices + (others.Length > 0 ? 1 : 0);
        if (items <= 1 || slice == n)
        {
            var span = buf.AsSpan(0, n * rowWidth);
            foreach (var d in others) d.DecodeRows(span, rowWidth, n);
            foreach (var d in sliced) d.DecodeSlice(span, rowWidth, 0, n, first);
            return;
        }
        Parallel.For(0, items, i =>
        {
            var span = buf.AsSpan(0, n * rowWidth);
            if (i == slices)
            {
                foreach (var d in others) d.DecodeRows(span, rowWidth, n);
                return;
            }
            var from = i * slice;
            var count = Math.Min(slice, n - from);
            foreach (var d in sliced) d.DecodeSlice(span, rowWidth, from, count, first + from);
        });
    }
}

/// <summary>STILTS's FITS-plus convention: the primary HDU holds a DATA-less VOTable describing the BINTABLEs.</summary>
internal static class FitsPlus
{
    /// <summary>Copies the VOTable metadata of table <paramref name="index"/> onto <paramref name="t"/> when its columns match.</summary>
    public static void Apply(Table t, byte[] meta, int index, ReaderLimits? limits = null)
    {
        Table m;
        try
        {
            m = VOTableReader.Read(new MemoryStream(meta), new VOTableReadOptions { TableIndex = index, Limits = limits ?? ReaderLimits.Default });
        }
        catch (VoScriptException e)
        {
            t.Warnings.Add("FITS-PLUS", $"the VOTable metadata in the primary HDU could not be read ({e.Message}); the BINTABLE header is used");
            return;
        }
        if (m.ColumnCount != t.ColumnCount)
        {
            t.Warnings.Add("FITS-PLUS", $"the VOTable metadata in the primary HDU describes {m.ColumnCount} columns, the table has {t.ColumnCount}; the BINTABLE header is used");
            return;
        }
        t.Name = m.Name ?? t.Name;
        t.Id = m.Id; t.Ucd = m.Ucd; t.Utype = m.Utype; t.Ref = m.Ref; t.Description = m.Description;
        t.Params.AddRange(m.Params);
        t.Infos.AddRange(m.Infos);
        t.TrailingInfosFrom = m.TrailingInfosFrom;
        t.Groups.AddRange(m.Groups);
        t.Links.AddRange(m.Links);
        t.Resource = m.Resource;
        t.Document = m.Document;
        for (var i = 0; i < t.ColumnCount; i++)
        {
            var data = t.Columns[i].Field;
            var vf = m.Columns[i].Field;
            data.Name = vf.Name;
            data.Id = vf.Id; data.Ucd = vf.Ucd; data.Utype = vf.Utype; data.XType = vf.XType; data.Ref = vf.Ref;
            data.Unit = vf.Unit; data.Description = vf.Description;
            data.Width = vf.Width ?? data.Width; data.Precision = vf.Precision ?? data.Precision;
            data.Links.AddRange(vf.Links);
            data.ExtraAttributes.AddRange(vf.ExtraAttributes);
            if (vf.Values is { } v)
            {
                var keep = v.Clone();
                keep.Null = data.Values?.Null; // the data's nulls are what TNULL says
                data.Values = keep;
            }
            // text stays text: unicodeChar and a variable arraysize come back as written
            if (data.IsString && vf.IsString) { data.DataType = vf.DataType; data.ArraySize = vf.ArraySize; }
            if (data.DataType == DataType.Boolean && vf.DataType == DataType.Bit && data.ArraySize.Equals(vf.ArraySize)) data.DataType = DataType.Bit;
        }
    }

    /// <summary>The VOTable metadata (DATA-less) of <paramref name="t"/> as UTF-8 bytes.</summary>
    public static byte[] Metadata(Table t)
    {
        using var ms = new MemoryStream();
        VOTableWriter.Write(t, ms, new VOTableWriteOptions { MetadataOnly = true });
        return ms.ToArray();
    }
}
