using System.Globalization;
using System.Text.RegularExpressions;
using VoScript.Engine.Sky;
using VoScript.Engine.Tables;

namespace VoScript.Engine.Interop;

/// <summary>
/// A named repair of a known interoperability quirk. It runs when a table arrives,
/// changes the table in place and adds at most one warning to <see cref="Table.Warnings"/>
/// (code <c>repair.NAME</c>) that lists what it changed.
/// </summary>
internal interface ITableRepair
{
    /// <summary>Short stable name, used in the warning code and in docs.</summary>
    string Name { get; }

    /// <summary>Repairs the table; returns the number of columns changed (0: nothing to do, no warning).</summary>
    int Apply(Table table);
}

/// <summary>The repairs run on every table that arrives, in this order.</summary>
internal static partial class Repairs
{
    /// <summary>All repairs, in the order <see cref="Apply"/> runs them (UCDs first: later repairs read them).</summary>
    public static IReadOnlyList<ITableRepair> All { get; } =
    [
        new Ucd1Repair(),
        new UcdSpellingRepair(),
        new MagnitudeUnitRepair(),
        new SexagesimalRepair(),
        new NumberStringRepair(),
        new MagnitudeSentinelRepair(),
    ];

    /// <summary>Runs every repair on <paramref name="table"/>; returns the names of those that changed something.</summary>
    public static IReadOnlyList<string> Apply(Table table)
    {
        var applied = new List<string>();
        foreach (var r in All)
            if (r.Apply(table) > 0) applied.Add(r.Name);
        return applied;
    }

    internal static void Warn(Table t, string name, string what, List<string> items) =>
        t.Warnings.Add("repair." + name, $"{what}: {string.Join(", ", items)}");

    /// <summary>True for a magnitude column: UCD primary <c>phot.mag</c>, or (without a photometric UCD) a VizieR-style name such as Jmag or mag_U.</summary>
    internal static bool IsMagnitude(Field f) =>
        Ucds.PrimaryIs(f.Ucd, "phot.mag") || (!HasPhotUcd(f) && MagName().IsMatch(f.Name) && !ErrName().IsMatch(f.Name));

    /// <summary>True for the error of a magnitude: <c>stat.error;phot.mag…</c>, or a name such as e_Jmag / err_u next to magnitudes.</summary>
    internal static bool IsMagnitudeError(Field f) =>
        Ucds.PrimaryIs(f.Ucd, "stat.error") && Ucds.HasWord(f.Ucd, "phot.mag")
        || (!HasPhotUcd(f) && ErrName().IsMatch(f.Name) && MagName().IsMatch(ErrName().Replace(f.Name, "")));

    private static bool HasPhotUcd(Field f) => Ucds.Words(f.Ucd).Any(w => w.StartsWith("phot.", StringComparison.Ordinal) || w.StartsWith("stat.", StringComparison.Ordinal));

    [GeneratedRegex(@"^([A-Za-z0-9]{1,4}mag|mag_?[A-Za-z0-9]{1,4}|[A-Za-z0-9]{1,4}_mag)$", RegexOptions.IgnoreCase)]
    private static partial Regex MagName();

    [GeneratedRegex(@"^(e_|err_|sig_)|(_err|_error|err)$", RegexOptions.IgnoreCase)]
    private static partial Regex ErrName();

    internal static readonly string[] NullLiterals = ["", "null", "NULL", "Null", "-", "--", "nan", "NaN", "NAN", "N/A", "n/a", "NA", "none", "None"];
}

/// <summary><c>ucd1</c>: UCD1 words (SDSS/VizieR style: <c>POS_EQ_RA_MAIN</c>, <c>PHOT_SDSS_U</c>, <c>ID_MAIN</c>) mapped to UCD1+.</summary>
internal sealed class Ucd1Repair : ITableRepair
{
    public string Name => "ucd1";

    public int Apply(Table table)
    {
        var changed = new List<string>();
        foreach (var c in table.Columns)
        {
            if (c.Field.Ucd is not { } u || !Ucds.IsUcd1(u) || Ucds.FromUcd1(u) is not { } mapped) continue;
            changed.Add($"{c.Name} {u.Trim()} → {mapped}");
            c.Field.Ucd = mapped;
        }
        if (changed.Count > 0) Repairs.Warn(table, Name, "UCD1 words replaced by UCD1+", changed);
        return changed.Count;
    }
}

/// <summary><c>ucd-case</c>: UCDs in the wrong case or with blanks (<c>PHOT.MAG;EM.OPT.R</c>) respelled as in the UCD1+ list.</summary>
internal sealed class UcdSpellingRepair : ITableRepair
{
    public string Name => "ucd-case";

    public int Apply(Table table)
    {
        var changed = new List<string>();
        foreach (var c in table.Columns)
        {
            if (c.Field.Ucd is not { } u || string.IsNullOrWhiteSpace(u) || Ucds.IsUcd1(u)) continue;
            var canonical = Ucds.Canonical(u);
            if (canonical == u) continue;
            changed.Add($"{c.Name} {u} → {canonical}");
            c.Field.Ucd = canonical;
        }
        if (changed.Count > 0) Repairs.Warn(table, Name, "UCDs respelled", changed);
        return changed.Count;
    }
}

/// <summary><c>mag-unit</c>: magnitude columns (and their errors) whose unit is missing or misspelled (<c>mags</c>, <c>Mag</c>, <c>magnitude</c>) get <c>mag</c>.</summary>
internal sealed class MagnitudeUnitRepair : ITableRepair
{
    private static readonly HashSet<string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        "mags", "magnitude", "magnitudes", "magn", "mag.", "[mag]", "(mag)", "'mag'", "mag(vega)", "mag(ab)", "vegamag", "abmag",
    };

    public string Name => "mag-unit";

    public int Apply(Table table)
    {
        var changed = new List<string>();
        foreach (var c in table.Columns)
        {
            var f = c.Field;
            if (f.IsString || !(Repairs.IsMagnitude(f) || Repairs.IsMagnitudeError(f))) continue;
            var unit = f.Unit?.Trim();
            if (unit == "mag") continue;
            if (string.IsNullOrEmpty(unit)) changed.Add($"{c.Name} (no unit)");
            else if (Aliases.Contains(unit) || unit.Equals("mag", StringComparison.OrdinalIgnoreCase)) changed.Add($"{c.Name} '{f.Unit}'");
            else continue; // mmag or a real other unit: leave it
            f.Unit = "mag";
        }
        if (changed.Count > 0) Repairs.Warn(table, Name, "magnitude units set to mag", changed);
        return changed.Count;
    }
}

/// <summary><c>sexagesimal</c>: RA/Dec given as sexagesimal strings (<c>10:00:28.6</c>, <c>+02 12 21</c>) become double columns in degrees.</summary>
internal sealed class SexagesimalRepair : ITableRepair
{
    public string Name => "sexagesimal";

    public int Apply(Table table)
    {
        var changed = new List<string>();
        for (var k = 0; k < table.ColumnCount; k++)
        {
            if (table.Columns[k] is not StringColumn s) continue;
            var f = s.Field;
            var isRa = Ucds.PrimaryIs(f.Ucd, "pos.eq.ra") || (f.Ucd is null && Positions.IsRaName(f.Name));
            var isDec = !isRa && (Ucds.PrimaryIs(f.Ucd, "pos.eq.dec") || (f.Ucd is null && Positions.IsDecName(f.Name)));
            if (!isRa && !isDec) continue;
            var v = new double[s.Count];
            NullMask? nulls = null;
            var sexa = 0;
            var hours = isRa && Angles.RaTextInHours(s.Values, f.Unit);
            var ok = true;
            for (var i = 0; i < s.Count && ok; i++)
            {
                var text = s[i]?.Trim();
                if (text is null || Repairs.NullLiterals.Contains(text)) { (nulls ??= new NullMask(s.Count)).Set(i); continue; }
                if (Angles.TryParseSexagesimal(text, out var a)) { v[i] = hours ? a * 15 : a; sexa++; }
                else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) v[i] = d;
                else ok = false;
            }
            if (!ok || sexa == 0) continue;
            var nf = f.Clone();
            nf.DataType = DataType.Double;
            nf.ArraySize = ArraySize.Scalar;
            nf.Unit = "deg";
            nf.Width = nf.Precision = null;
            nf.Values = null;
            table.ReplaceColumn(k, new ScalarColumn<double>(nf, v, nulls));
            changed.Add($"{f.Name} ({(hours ? "hours" : "degrees")}:minutes:seconds)");
        }
        if (changed.Count > 0) Repairs.Warn(table, Name, "sexagesimal positions converted to degrees", changed);
        return changed.Count;
    }
}

/// <summary>
/// <c>number-strings</c>: numbers stored as strings (magnitudes, positions, errors) become double
/// columns; literals such as NULL, -, nan become nulls. Only columns whose UCD or unit says they are
/// quantities are touched; identifiers and codes (<c>meta.*</c>) stay text.
/// </summary>
internal sealed class NumberStringRepair : ITableRepair
{
    private static readonly string[] QuantityWords = ["phot.", "pos.", "stat.", "src.redshift", "phys.", "em.", "time.", "spect.", "arith."];

    public string Name => "number-strings";

    public int Apply(Table table)
    {
        var changed = new List<string>();
        for (var k = 0; k < table.ColumnCount; k++)
        {
            if (table.Columns[k] is not StringColumn s) continue;
            var f = s.Field;
            var primary = Ucds.Words(f.Ucd).FirstOrDefault();
            var quantity = primary is not null
                ? !primary.StartsWith("meta.", StringComparison.Ordinal) && QuantityWords.Any(w => primary.StartsWith(w, StringComparison.Ordinal))
                : !string.IsNullOrWhiteSpace(f.Unit) || Repairs.IsMagnitude(f) || Repairs.IsMagnitudeError(f);
            if (!quantity) continue;
            var v = new double[s.Count];
            NullMask? nulls = null;
            var numbers = 0;
            var ok = true;
            for (var i = 0; i < s.Count && ok; i++)
            {
                var text = s[i]?.Trim();
                if (text is null || Repairs.NullLiterals.Contains(text)) { (nulls ??= new NullMask(s.Count)).Set(i); continue; }
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) { v[i] = d; numbers++; }
                else ok = false;
            }
            if (!ok || numbers == 0) continue;
            var nf = f.Clone();
            nf.DataType = DataType.Double;
            nf.ArraySize = ArraySize.Scalar;
            nf.Width = nf.Precision = null;
            nf.Values = null;
            table.ReplaceColumn(k, new ScalarColumn<double>(nf, v, nulls));
            changed.Add(f.Name);
        }
        if (changed.Count > 0) Repairs.Warn(table, Name, "numbers stored as text converted to double", changed);
        return changed.Count;
    }
}

/// <summary>
/// <c>mag-sentinels</c>: magnitudes of -9999, 99.99 and the like (|m| ≥ 99, far outside any real
/// magnitude) and negative or ≥ 99 magnitude errors become nulls (SDSS-style tables that store
/// missing photometry as a number and declare no null value).
/// </summary>
internal sealed class MagnitudeSentinelRepair : ITableRepair
{
    public string Name => "mag-sentinels";

    public int Apply(Table table)
    {
        var changed = new List<string>();
        foreach (var c in table.Columns)
        {
            var isMag = Repairs.IsMagnitude(c.Field);
            var isErr = !isMag && Repairs.IsMagnitudeError(c.Field);
            if (!isMag && !isErr || c.Field.IsString || c is not (ScalarColumn<double> or ScalarColumn<float> or ScalarColumn<int> or ScalarColumn<short> or ScalarColumn<long>)) continue;
            var count = 0;
            var seen = new SortedSet<double>();
            for (var i = 0; i < c.Count; i++)
            {
                var v = c.GetDouble(i);
                if (double.IsNaN(v)) continue;
                var sentinel = isMag ? v <= -99 || v >= 99 : v < 0 || v >= 99;
                if (!sentinel) continue;
                c.SetNull(i);
                count++;
                if (seen.Count < 3) seen.Add(v);
            }
            if (count > 0) changed.Add($"{c.Name} ({count} × {string.Join("/", seen.Select(x => x.ToString("R", CultureInfo.InvariantCulture)))})");
        }
        if (changed.Count > 0) Repairs.Warn(table, Name, "sentinel magnitudes set to null", changed);
        return changed.Count;
    }
}
