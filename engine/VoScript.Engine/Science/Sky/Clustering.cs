using VoScript.Engine.Model.Ucds;
using VoScript.Engine.Science.Interop;
using VoScript.Engine.Model;
using VoScript.Engine.Model.Units;

namespace VoScript.Engine.Science.Sky;

/// <summary>
/// The table step behind <c>cluster T, … within ANGLE as NAME</c>: friends-of-friends
/// over all rows of several tables, one output row per input row.
/// <para>Output columns, in this order:</para>
/// <list type="bullet">
/// <item><c>group_id</c> (long, <c>meta.id;meta.main</c>): the group, numbered from 1 in order of the first row (null for a row without position);</item>
/// <item><c>group_size</c> (int): rows in the group;</item>
/// <item><c>group_ra</c>, <c>group_dec</c> (double, deg, <c>pos.eq.ra;meta.main</c>/<c>pos.eq.dec;meta.main</c>): the group's mean position (mean of unit vectors);</item>
/// <item><c>source_table</c> (char): the name of the table the row comes from;</item>
/// <item>every original column. Columns of different tables with the same name (ignoring case),
/// datatype, arraysize and unit become one column; when the name is shared but the rest differs,
/// each table keeps its own column renamed <c>TABLE_NAME</c>. The original columns' <c>meta.main</c>
/// qualifiers are dropped (the group's position and id are the main ones now).</item>
/// </list>
/// Rows are ordered by group, then by input order.
/// </summary>
public static class Clustering
{
    /// <summary>Clusters the rows of <paramref name="tables"/> with linking angle <paramref name="linkDegrees"/>.</summary>
    public static Table Run(IReadOnlyList<Table> tables, double linkDegrees, string? name = null, CancellationToken cancel = default)
    {
        if (tables.Count == 0) throw new VoScriptException("cluster needs at least one table");
        var clock = Timings.Start();
        var names = TableNames(tables.Select(t => t.Name).ToList());
        var total = 0;
        foreach (var t in tables) total += t.RowCount;
        double[] ra, dec;
        var warnings = new TableWarnings();
        if (tables.Count == 1)
        {
            // one table: its own arrays when they are already degrees (read only here), no copy
            var p = Positions.Read(tables[0], readOnly: true);
            (ra, dec) = (p.Ra, p.Dec);
            warnings.AddRange(tables[0].Warnings);
        }
        else
        {
            ra = new double[total];
            dec = new double[total];
            var offset = 0;
            foreach (var t in tables)
            {
                var p = Positions.Read(t, readOnly: true);
                p.Ra.CopyTo(ra, offset);
                p.Dec.CopyTo(dec, offset);
                offset += t.RowCount;
                warnings.AddRange(t.Warnings);
            }
        }

        clock = Timings.Stop(clock, "cluster: positions");
        var fof = FriendsOfFriends.Run(ra, dec, linkDegrees, cancel);
        clock = Timings.Stop(clock, "cluster: friends-of-friends");
        if (total >= 200_000)
        {
            // Friends-of-friends' working arrays (~85 bytes a row) are garbage now, but large arrays are only reclaimed
            // by a full collection: without one, the result's columns would take fresh memory, and every fresh page
            // costs a page fault (at 1e6 rows: 7,400 faults fewer, for a collection of a few milliseconds).
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
            clock = Timings.Stop(clock, "cluster: collect friends-of-friends' memory");
        }

        var g = fof.GroupCount;
        var meanRa = fof.MeanRa;
        var meanDec = fof.MeanDec;
        var groupOf = fof.GroupOf;

        // Output order: by group, then input order (a stable counting sort); rows without position last.
        var order = new int[total];
        var next = new int[g + 1];
        for (var k = 0; k < g; k++) next[k + 1] = next[k] + fof.Sizes[k];
        var positioned = next[g];
        var tail = positioned;
        for (var i = 0; i < total; i++)
        {
            var k = groupOf[i];
            order[k >= 0 ? next[k]++ : tail++] = i;
        }

        clock = Timings.Stop(clock, "cluster: output order");
        // the table of each input row: only needed with several tables
        int[]? tableOf = null;
        if (tables.Count > 1)
        {
            tableOf = new int[total];
            var offset = 0;
            for (var t = 0; t < tables.Count; t++)
            {
                Array.Fill(tableOf, t, offset, tables[t].RowCount);
                offset += tables[t].RowCount;
            }
        }
        var gid = new long[total];
        var gsize = new int[total];
        var gra = new double[total];
        var gdec = new double[total];
        // the rows with a position come first; each chunk of them is filled on its own core
        FillGroupColumns(fof, order, positioned, gid, gsize, gra, gdec, cancel);
        NullMask? noPos = null;
        for (var r = positioned; r < total; r++)
        {
            (noPos ??= new NullMask(total)).Set(r);
            gra[r] = gdec[r] = double.NaN;
        }

        clock = Timings.Stop(clock, "cluster: group id, size, position");
        var result = new Table(name ?? "clusters")
        {
            Description = $"friends-of-friends groups within {linkDegrees * 3600:0.###} arcsec of {string.Join(", ", names)}",
        };
        var gf = GroupFields();
        result.AddColumn(new ScalarColumn<long>(gf[0], gid, noPos?.Clone()));
        result.AddColumn(new ScalarColumn<int>(gf[1], gsize, noPos?.Clone()));
        result.AddColumn(new ScalarColumn<double>(gf[2], gra, noPos?.Clone()));
        result.AddColumn(new ScalarColumn<double>(gf[3], gdec, noPos?.Clone()));
        result.AddColumn(SourceTable(gf[4], names, order, tableOf));

        clock = Timings.Stop(clock, "cluster: source_table");
        foreach (var col in MergeColumns(tables, names, order, tableOf, result))
            result.AddColumn(col);
        Timings.Stop(clock, "cluster: original columns");

        if (noPos is not null)
            result.Warnings.Add("cluster-no-position", $"{noPos.Count(total)} rows have no position and belong to no group");
        foreach (var w in warnings.All) result.Warnings.Add(w.Code, w.Message);
        return result;
    }

    /// <summary>
    /// Group id, size and mean position of the first <paramref name="positioned"/> output rows, in chunks on all cores (a
    /// method of its own: a lambda's captured locals would become heap fields and slow <see cref="Run"/>'s loops).
    /// </summary>
    private static void FillGroupColumns(FofResult fof, int[] order, int positioned, long[] gid, int[] gsize, double[] gra, double[] gdec, CancellationToken cancel)
    {
        var chunks = Math.Max(1, Math.Min(Environment.ProcessorCount, positioned / 65536));
        var chunk = (positioned + chunks - 1) / chunks;
        Parallel.For(0, chunks, new ParallelOptions { CancellationToken = cancel }, c =>
            FillGroupColumns(fof.GroupOf, fof.Sizes, fof.MeanRa, fof.MeanDec, order, gid, gsize, gra, gdec, c * chunk, Math.Min(positioned, (c + 1) * chunk)));
    }

    private static void FillGroupColumns(int[] groupOf, int[] sizes, double[] meanRa, double[] meanDec, int[] order, long[] gid, int[] gsize, double[] gra, double[] gdec, int from, int to)
    {
        for (var r = from; r < to; r++)
        {
            var k = groupOf[order[r]];
            gid[r] = k + 1;
            gsize[r] = sizes[k];
            gra[r] = meanRa[k];
            gdec[r] = meanDec[k];
        }
    }

    /// <summary><c>source_table</c> as one UTF-8 buffer (no string per row): output row r names the table of input row order[r].</summary>
    private static StringColumn SourceTable(Field field, string[] names, int[] order, int[]? tableOf)
    {
        var utf8 = names.Select(System.Text.Encoding.UTF8.GetBytes).ToArray();
        if (names.Any(x => x.Any(ch => ch > 127))) field.DataType = DataType.UnicodeChar;
        var n = order.Length;
        if (tableOf is null)
        {
            // one table: the same name in every row
            var one = utf8[0];
            if ((long)one.Length * n > Array.MaxLength) throw new VoScriptException("cluster: the source_table column is too large for one buffer");
            var repeated = new byte[one.Length * n];
            var at1 = new int[n + 1];
            for (var r = 0; r < n; r++)
            {
                one.CopyTo(repeated, r * one.Length);
                at1[r + 1] = (r + 1) * one.Length;
            }
            return new StringColumn(field, repeated, at1, n);
        }
        long size = 0;
        for (var r = 0; r < n; r++) size += utf8[tableOf[order[r]]].Length;
        if (size > Array.MaxLength) throw new VoScriptException("cluster: the source_table column is too large for one buffer");
        var bytes = new byte[size];
        var offsets = new int[n + 1];
        var at = 0;
        for (var r = 0; r < n; r++)
        {
            var name = utf8[tableOf[order[r]]];
            name.CopyTo(bytes, at);
            at += name.Length;
            offsets[r + 1] = at;
        }
        return new StringColumn(field, bytes, offsets, n);
    }

    /// <summary>The groups of a result of <see cref="Run"/>: its largest group id (ids run from 1 without gaps).</summary>
    public static long GroupCount(Table result)
    {
        if (result.FindColumn("group_id") is not ScalarColumn<long> ids) return 0;
        long max = 0;
        var v = ids.Values;
        for (var i = 0; i < v.Length; i++) if (v[i] > max && !ids.IsNull(i)) max = v[i];
        return max;
    }

    /// <summary>Table names for <c>source_table</c>: the table's name, else t1, t2, …; duplicates made unique.</summary>
    private static string[] TableNames(IReadOnlyList<string?> tableNames)
    {
        var names = new string[tableNames.Count];
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < tableNames.Count; i++)
        {
            var baseName = string.IsNullOrWhiteSpace(tableNames[i]) ? $"t{i + 1}" : tableNames[i]!;
            var n = baseName;
            for (var k = 2; !seen.Add(n); k++) n = $"{baseName}_{k}";
            names[i] = n;
        }
        return names;
    }

    /// <summary>The five columns every cluster result starts with.</summary>
    public static Field[] GroupFields() =>
    [
        new Field("group_id", DataType.Long) { Ucd = "meta.id;meta.main", Description = "friends-of-friends group, from 1" },
        new Field("group_size", DataType.Int) { Ucd = "meta.number", Description = "rows in the group" },
        new Field("group_ra", DataType.Double) { Unit = "deg", Ucd = "pos.eq.ra;meta.main", Description = "mean RA of the group" },
        new Field("group_dec", DataType.Double) { Unit = "deg", Ucd = "pos.eq.dec;meta.main", Description = "mean Dec of the group" },
        new Field("source_table", DataType.Char, ArraySize.Variable) { Ucd = "meta.dataset", Description = "table the row comes from" },
    ];

    /// <summary>
    /// The columns <see cref="Run"/> will produce for inputs with these names and fields, without
    /// data: lets a compiler check later steps (<c>select … where</c>) against them.
    /// </summary>
    public static IReadOnlyList<Field> OutputFields(IReadOnlyList<(string? Name, IReadOnlyList<Field> Fields)> inputs)
    {
        var names = TableNames(inputs.Select(i => i.Name).ToList());
        var result = new List<Field>(GroupFields());
        result.AddRange(PlanSlots(inputs.Select(i => i.Fields).ToList(), names, out _).Select(s => s.Field));
        return result;
    }

    private sealed record Slot(Field Field, List<(int Table, int Column)> Parts);

    /// <summary>The merge rule: output field and contributing (table, column) pairs for each output column after the fixed ones.</summary>
    private static List<Slot> PlanSlots(IReadOnlyList<IReadOnlyList<Field>> tables, string[] names, out List<string> renamed)
    {
        var slots = new List<(string Name, Field Field, List<(int Table, int Column)> Parts)>();
        for (var t = 0; t < tables.Count; t++)
            for (var k = 0; k < tables[t].Count; k++)
            {
                var f = tables[t][k];
                var same = slots.FirstOrDefault(s => string.Equals(s.Name, f.Name, StringComparison.OrdinalIgnoreCase) && Compatible(s.Field, f)
                                                     && s.Parts.All(p => p.Table != t));
                if (same.Parts is not null) same.Parts.Add((t, k));
                else slots.Add((f.Name, f, [(t, k)]));
            }
        // Names used by more than one slot (or by the fixed columns) are prefixed with the table name.
        var fixedNames = GroupFields().Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var clash = slots.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        renamed = [];
        var result = new List<Slot>();
        foreach (var s in slots)
        {
            var outName = s.Name;
            if (clash.Contains(s.Name) || fixedNames.Contains(s.Name))
            {
                outName = $"{names[s.Parts[0].Table]}_{s.Name}";
                renamed.Add($"{s.Name} → {outName}");
            }
            var field = s.Field.Clone();
            ColumnHints.CopyTo(s.Field, field);
            field.Name = outName;
            field.Id = null;
            if (field.Ucd is { } u && Ucds.HasWord(u, "meta.main"))
                field.Ucd = string.Join(';', Ucds.Normalize(u)!.Split(';').Where(w => !w.Equals("meta.main", StringComparison.OrdinalIgnoreCase)));
            result.Add(new Slot(field, s.Parts));
        }
        return result;
    }

    private static IEnumerable<Column> MergeColumns(IReadOnlyList<Table> tables, string[] names, int[] order, int[]? tableOf, Table result)
    {
        var slots = PlanSlots(tables.Select(t => (IReadOnlyList<Field>)t.Fields.ToList()).ToList(), names, out var renamed);
        var columns = new Column[slots.Count];
        if (tableOf is null)
        {
            // one table: output row r is its row order[r], in every column; the columns are independent, taken on all cores
            Parallel.For(0, slots.Count, s =>
            {
                var (t, k) = slots[s].Parts[0];
                columns[s] = tables[t].Columns[k].Select(order, slots[s].Field);
            });
        }
        else
        {
            // output row r: its table (owner) and its row within that table, the same for every column
            var n = order.Length;
            var start = new int[tables.Count];
            for (var t = 1; t < tables.Count; t++) start[t] = start[t - 1] + tables[t - 1].RowCount;
            var rows = new int[n];
            var owner = new int[n];
            for (var r = 0; r < n; r++)
            {
                var i = order[r];
                var t = tableOf[i];
                owner[r] = t;
                rows[r] = i - start[t];
            }
            // the columns are independent: gathered on all cores
            Parallel.For(0, slots.Count, s =>
            {
                var partOf = new Column?[tables.Count];
                foreach (var p in slots[s].Parts) partOf[p.Table] = tables[p.Table].Columns[p.Column];
                columns[s] = Gather(slots[s].Field, partOf, rows, owner);
            });
        }
        if (renamed.Count > 0)
            result.Warnings.Add("cluster-column-renamed", "columns with the same name but another type or unit were kept apart: " + string.Join(", ", renamed));
        return columns;
    }

    private static bool Compatible(Field a, Field b) =>
        a.DataType == b.DataType && a.ArraySize == b.ArraySize && a.IsString == b.IsString
        && string.Equals(a.Unit ?? "", b.Unit ?? "", StringComparison.Ordinal);

    /// <summary>
    /// One output column from the parts of several tables: output row r takes row rows[r] of table owner[r] when that
    /// table has a part (<paramref name="partOf"/>), else a null.
    /// </summary>
    private static Column Gather(Field field, Column?[] partOf, int[] rows, int[] owner)
    {
        return partOf.First(p => p is not null) switch
        {
            ScalarColumn<double> => GatherScalar<double>(field, partOf, rows, owner),
            ScalarColumn<float> => GatherScalar<float>(field, partOf, rows, owner),
            ScalarColumn<long> => GatherScalar<long>(field, partOf, rows, owner),
            ScalarColumn<int> => GatherScalar<int>(field, partOf, rows, owner),
            ScalarColumn<short> => GatherScalar<short>(field, partOf, rows, owner),
            ScalarColumn<byte> => GatherScalar<byte>(field, partOf, rows, owner),
            ScalarColumn<bool> => GatherScalar<bool>(field, partOf, rows, owner),
            ScalarColumn<ComplexFloat> => GatherScalar<ComplexFloat>(field, partOf, rows, owner),
            ScalarColumn<System.Numerics.Complex> => GatherScalar<System.Numerics.Complex>(field, partOf, rows, owner),
            StringColumn => GatherStrings(field, partOf, rows, owner),
            ArrayColumn<double> => GatherArray<double>(field, partOf, rows, owner),
            ArrayColumn<float> => GatherArray<float>(field, partOf, rows, owner),
            ArrayColumn<long> => GatherArray<long>(field, partOf, rows, owner),
            ArrayColumn<int> => GatherArray<int>(field, partOf, rows, owner),
            ArrayColumn<short> => GatherArray<short>(field, partOf, rows, owner),
            ArrayColumn<byte> => GatherArray<byte>(field, partOf, rows, owner),
            ArrayColumn<bool> => GatherArray<bool>(field, partOf, rows, owner),
            _ => GatherGeneric(field, partOf, rows, owner),
        };
    }

    private static Column GatherScalar<T>(Field field, Column?[] partOf, int[] rows, int[] owner) where T : unmanaged
    {
        var n = rows.Length;
        var v = new T[n];
        var values = new T[]?[partOf.Length];
        var masks = new NullMask?[partOf.Length];
        for (var t = 0; t < partOf.Length; t++)
            if (partOf[t] is ScalarColumn<T> c) { values[t] = c.Values; masks[t] = c.Nulls; }
        NullMask? nulls = null;
        for (var r = 0; r < n; r++)
        {
            var src = values[owner[r]];
            var row = rows[r];
            if (src is null) { (nulls ??= new NullMask(n)).Set(r); continue; }
            v[r] = src[row];
            if (masks[owner[r]] is { } mask && mask[row]) (nulls ??= new NullMask(n)).Set(r);
        }
        return new ScalarColumn<T>(field, v, nulls);
    }

    private static Column GatherStrings(Field field, Column?[] partOf, int[] rows, int[] owner)
    {
        var v = new string?[rows.Length];
        for (var r = 0; r < rows.Length; r++)
            if (partOf[owner[r]] is StringColumn c) v[r] = c[rows[r]];
        return new StringColumn(field, v);
    }

    private static Column GatherArray<T>(Field field, Column?[] partOf, int[] rows, int[] owner) where T : unmanaged
    {
        var n = rows.Length;
        var offsets = new int[n + 1];
        NullMask? nulls = null;
        var total = 0;
        for (var r = 0; r < n; r++)
        {
            offsets[r] = total;
            if (partOf[owner[r]] is ArrayColumn<T> c && !c.IsNull(rows[r])) total += c[rows[r]].Length;
            else (nulls ??= new NullMask(n)).Set(r);
        }
        offsets[n] = total;
        var data = new T[total];
        NullMask? elementNulls = null;
        for (var r = 0; r < n; r++)
            if (partOf[owner[r]] is ArrayColumn<T> c && !c.IsNull(rows[r]))
            {
                c[rows[r]].CopyTo(data.AsSpan(offsets[r]));
                c.CopyElementNulls(rows[r], ref elementNulls, offsets[r]);
            }
        return new ArrayColumn<T>(field, data, offsets, n, nulls, elementNulls);
    }

    // Other column kinds: select the rows of each part, then concatenate via boxing-free Select per part.
    private static Column GatherGeneric(Field field, Column?[] partOf, int[] rows, int[] owner)
    {
        // Rows from tables without this column become nulls taken from row 0 of some part, masked.
        var any = partOf.First(p => p is not null)!;
        var idx = new List<int>();
        var nullRows = new List<int>();
        // Build by selecting from a single part when only one table has the column (the common case).
        if (partOf.Count(p => p is not null) == 1 && any.Count > 0)
        {
            for (var r = 0; r < rows.Length; r++) { if (partOf[owner[r]] is null) { idx.Add(0); nullRows.Add(r); } else idx.Add(rows[r]); }
            var col = any.Select(idx, field);
            foreach (var r in nullRows) col.SetNull(r);
            return col;
        }
        // Several tables share an array column: keep it as text (rare).
        var text = new string?[rows.Length];
        for (var r = 0; r < rows.Length; r++)
            if (partOf[owner[r]] is { } c && !c.IsNull(rows[r])) text[r] = c.FormatCell(rows[r]);
        var f = new Field(field.Name, DataType.Char, ArraySize.Variable) { Unit = field.Unit, Ucd = field.Ucd, Description = field.Description };
        return new StringColumn(f, text);
    }
}
