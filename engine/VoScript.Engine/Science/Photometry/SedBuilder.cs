using VoScript.Engine.Model.Ucds;
using VoScript.Engine.Science.Interop;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Sky;
using VoScript.Engine.Model;

namespace VoScript.Engine.Science.Photometry;

/// <summary>
/// The table step behind <c>sed T as NAME</c>: one row per (object, band, source table, column)
/// with a value. Columns:
/// <c>object_id</c> (long, meta.id;meta.main), <c>ra</c>, <c>dec</c> (deg, the object's position, main UCDs),
/// <c>band</c>, <c>filter_id</c> (SVO id), <c>wavelength</c> (µm, em.wl.effective),
/// <c>mag</c>, <c>mag_err</c> (mag), <c>flux</c>, <c>flux_err</c> (Jy), <c>mag_system</c> (Vega/AB),
/// <c>source_table</c>, <c>source_column</c>. Magnitudes and flux densities are both given:
/// F[Jy] = ZP·10^(−0.4·(m + AB offset)), σF = F·0.4·ln10·σm, and back.
/// Rows are sorted by object, then wavelength.
/// </summary>
public static class SedBuilder
{
    /// <summary>Column names of the SED table (the plotter and select rely on them).</summary>
    public const string ObjectId = "object_id", Wavelength = "wavelength", Mag = "mag", MagErr = "mag_err", Flux = "flux", FluxErr = "flux_err",
        BandName = "band", FilterId = "filter_id", SourceTable = "source_table", SourceColumn = "source_column", MagSystemName = "mag_system";

    /// <summary>Whether <paramref name="t"/> is an SED table: an object_id column and numeric wavelength and mag columns.</summary>
    internal static bool IsSed(Table t) =>
        t.FindColumn(ObjectId) is not null && t.FindColumn(Wavelength) is { } w && !w.Field.IsString
        && t.FindColumn(Mag) is { } m && !m.Field.IsString;

    private static readonly double K = 0.4 * Math.Log(10);

    /// <summary>Builds the SED table of <paramref name="table"/> (a clustered table, or any table with photometry).</summary>
    public static Table Build(Table table, string? name = null)
    {
        var phot = PhotometryColumns.Find(table);
        if (phot.Count == 0)
            throw new VoScriptException($"table '{table.Name ?? "(unnamed)"}' has no photometry: no column has a UCD phot.mag;em.* or phot.flux.density;em.* or a magnitude name such as Jmag");

        var n = table.RowCount;
        // Object identity: the cluster's group, else the main id, else the row.
        var idCol = table.FindColumn("group_id") is { } gc && gc.Field.DataType.IsInteger() ? gc
            : table.Columns.FirstOrDefault(c => Ucds.PrimaryIs(c.Field.Ucd, "meta.id") && Ucds.HasWord(c.Field.Ucd, "meta.main") && c.Field.DataType.IsInteger());
        var ids = new long[n];
        var idNull = new bool[n];
        for (var i = 0; i < n; i++)
        {
            if (idCol is null) { ids[i] = i + 1; continue; }
            var v = idCol.GetValue(i);
            if (v is null) { idNull[i] = true; continue; }
            ids[i] = Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture);
        }
        var pos = Positions.Find(table);
        double[]? ra = null, dec = null;
        if (pos is not null)
        {
            ra = Positions.ToDegrees(pos.Ra, true);
            dec = Positions.ToDegrees(pos.Dec, false);
        }
        var srcCol = table.FindColumn("source_table") as StringColumn;
        var tableName = table.Name ?? "table";

        var rows = new List<(long Id, double Ra, double Dec, Band Band, MagSystem System, double Mag, double MagErr, double Flux, double FluxErr, string Source, string Column)>();
        foreach (var p in phot)
        {
            for (var i = 0; i < n; i++)
            {
                if (idNull[i]) continue;
                var v = p.Value.GetDouble(i);
                if (double.IsNaN(v) || double.IsInfinity(v)) continue;
                var e = p.Error?.GetDouble(i) ?? double.NaN;
                double mag, magErr, flux, fluxErr;
                if (p.Kind == PhotometryKind.Magnitude)
                {
                    mag = v * p.ToJansky; magErr = e * p.ErrorToJansky;
                    flux = p.ZeroPointJy * Math.Pow(10, -0.4 * (mag + p.AbOffset));
                    fluxErr = double.IsNaN(magErr) ? double.NaN : flux * K * magErr;
                }
                else
                {
                    flux = v * p.ToJansky; fluxErr = e * p.ErrorToJansky;
                    mag = flux > 0 ? -2.5 * Math.Log10(flux / p.ZeroPointJy) - p.AbOffset : double.NaN;
                    magErr = flux > 0 && !double.IsNaN(fluxErr) ? fluxErr / flux / K : double.NaN;
                }
                rows.Add((ids[i], ra?[i] ?? double.NaN, dec?[i] ?? double.NaN, p.Band, p.System, mag, magErr, flux, fluxErr,
                    srcCol?[i] ?? tableName, p.Value.Name));
            }
        }
        rows.Sort((a, b) => a.Id != b.Id ? a.Id.CompareTo(b.Id)
            : a.Band.WavelengthMicrons != b.Band.WavelengthMicrons ? a.Band.WavelengthMicrons.CompareTo(b.Band.WavelengthMicrons)
            : string.CompareOrdinal(a.Source, b.Source));

        var result = new Table(name ?? "seds")
        {
            Description = $"spectral energy distributions from {tableName}: one row per object, band and source",
        };
        var f = OutputFields();
        f[0].Description = idCol is null ? "row number" : $"from {idCol.Name}";
        result.AddColumn(new ScalarColumn<long>(f[0], rows.Select(r => r.Id).ToArray()));
        result.AddColumn(Doubles(f[1], rows.Select(r => r.Ra)));
        result.AddColumn(Doubles(f[2], rows.Select(r => r.Dec)));
        result.AddColumn(new StringColumn(f[3], rows.Select(r => (string?)r.Band.Name).ToArray()));
        result.AddColumn(new StringColumn(f[4], rows.Select(r => (string?)r.Band.FilterId).ToArray()));
        result.AddColumn(Doubles(f[5], rows.Select(r => r.Band.WavelengthMicrons)));
        result.AddColumn(Doubles(f[6], rows.Select(r => r.Mag)));
        result.AddColumn(Doubles(f[7], rows.Select(r => r.MagErr)));
        result.AddColumn(Doubles(f[8], rows.Select(r => r.Flux)));
        result.AddColumn(Doubles(f[9], rows.Select(r => r.FluxErr)));
        result.AddColumn(new StringColumn(f[10], rows.Select(r => (string?)r.System.ToString()).ToArray()));
        result.AddColumn(new StringColumn(f[11], rows.Select(r => (string?)r.Source).ToArray()));
        result.AddColumn(new StringColumn(f[12], rows.Select(r => (string?)r.Column).ToArray()));
        foreach (var w in table.Warnings.All) result.Warnings.Add(w.Code, w.Message);
        result.Params.Add(new Param("bands", DataType.Char,
            string.Join("; ", phot.Select(p => $"{p.Value.Name}={p.Band.Name} ({p.BandFrom}{(p.System != p.Band.System ? ", " + p.System : "")}{(p.Error is null ? "" : ", error " + p.Error.Name)})")), ArraySize.Variable)
        { Ucd = "meta.note" });
        return result;
    }

    /// <summary>The columns of every SED table, known before any data (for compile-time checks of later steps).</summary>
    public static Field[] OutputFields() =>
    [
        new Field(ObjectId, DataType.Long) { Ucd = "meta.id;meta.main" },
        new Field("ra", DataType.Double) { Unit = "deg", Ucd = "pos.eq.ra;meta.main", Description = "object position" },
        new Field("dec", DataType.Double) { Unit = "deg", Ucd = "pos.eq.dec;meta.main", Description = "object position" },
        new Field(BandName, DataType.Char, ArraySize.Variable) { Ucd = "instr.bandpass" },
        new Field(FilterId, DataType.Char, ArraySize.Variable) { Ucd = "instr.filter", Description = "SVO Filter Profile Service id" },
        new Field(Wavelength, DataType.Double) { Unit = "um", Ucd = "em.wl.effective" },
        new Field(Mag, DataType.Double) { Unit = "mag", Ucd = "phot.mag" },
        new Field(MagErr, DataType.Double) { Unit = "mag", Ucd = "stat.error;phot.mag" },
        new Field(Flux, DataType.Double) { Unit = "Jy", Ucd = "phot.flux.density" },
        new Field(FluxErr, DataType.Double) { Unit = "Jy", Ucd = "stat.error;phot.flux.density" },
        new Field(MagSystemName, DataType.Char, ArraySize.Variable) { Ucd = "meta.code" },
        new Field(SourceTable, DataType.Char, ArraySize.Variable) { Ucd = "meta.dataset" },
        new Field(SourceColumn, DataType.Char, ArraySize.Variable) { Ucd = "meta.ref" },
    ];

    private static ScalarColumn<double> Doubles(Field f, IEnumerable<double> values)
    {
        var v = values.ToArray();
        NullMask? nulls = null;
        for (var i = 0; i < v.Length; i++) if (double.IsNaN(v[i])) (nulls ??= new NullMask(v.Length)).Set(i);
        return new ScalarColumn<double>(f, v, nulls);
    }
}
