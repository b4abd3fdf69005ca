using System.Globalization;
using System.Text.RegularExpressions;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Sky;
using VoScript.Engine.Model;
using VoScript.Engine.Model.Ucds;

namespace VoScript.Engine.Science.Interop;

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
        new UcdDeprecatedRepair(),
        new UcdSpellingRepair(),
        new UcdUnknownReport(),
        new MagnitudeUnitRepair(),
        new SexagesimalRepair(),
        new UnitSpellingRepair(),
        new UnitUnknownReport(),
        new NumberStringRepair(),
        new SentinelRepair(),
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

    private static readonly HashSet<string> NullLiterals = new(StringComparer.OrdinalIgnoreCase)
    {
        "", "null", "nil", "-", "--", "---", "----", "—", "?", "...", "*", "~", "nan", "+nan", "-nan", "n/a", "na", "n.a.", "none", "inf", "+inf", "-inf",
        "infinity", "+infinity", "-infinity", "undef", "undefined", "missing", "#n/a", "#value!",
    };

    /// <summary>True for the NaN-like strings services put in numeric cells (NULL, -, nan, N/A, inf, …), compared case-insensitively.</summary>
    internal static bool IsNullLiteral(string text) => NullLiterals.Contains(text.Trim());
}

/// <summary>
/// <c>ucd1</c>: UCD1 words (SDSS/VizieR style: <c>POS_EQ_RA_MAIN</c>, <c>PHOT_SDSS_U</c>, <c>ID_MAIN</c>, and unlisted
/// archive words such as <c>PHOT_PS1_G</c>) translated to UCD1+ by <see cref="Ucd1"/>; translations inferred from the
/// families' structure are marked "(inferred)". The photometric system a word names is kept as a column hint.
/// </summary>
internal sealed class Ucd1Repair : ITableRepair
{
    public string Name => "ucd1";

    public int Apply(Table table)
    {
        var changed = new List<string>();
        foreach (var c in table.Columns)
        {
            if (c.Field.Ucd is not { } u || string.IsNullOrWhiteSpace(u)) continue;
            var a = Ucds.Analyze(u);
            if (!a.HadUcd1 || a.Ucd is null) continue;
            changed.Add($"{c.Name} {u.Trim()} → {a.Ucd}{(a.Inferred ? " (inferred)" : "")}");
            if (a.Family is { } fam) ColumnHints.Of(c.Field).Family ??= fam;
            c.Field.Ucd = a.Ucd;
        }
        if (changed.Count > 0) Repairs.Warn(table, Name, "UCD1 words replaced by UCD1+", changed);
        return changed.Count;
    }
}

/// <summary><c>ucd-deprecated</c>: deprecated UCD1+ words (UCDList 1.6 <c>ucd-list-deprecated.txt</c>: <c>phot.fluxDens</c>, <c>phot.color.B-V</c>) replaced.</summary>
internal sealed class UcdDeprecatedRepair : ITableRepair
{
    public string Name => "ucd-deprecated";

    public int Apply(Table table)
    {
        var changed = new List<string>();
        foreach (var c in table.Columns)
        {
            if (c.Field.Ucd is not { } u || string.IsNullOrWhiteSpace(u)) continue;
            var a = Ucds.Analyze(u);
            if (a.Deprecated.Count == 0 || a.Ucd is null) continue;
            changed.Add($"{c.Name} {u.Trim()} → {a.Ucd}");
            c.Field.Ucd = a.Ucd;
        }
        if (changed.Count > 0) Repairs.Warn(table, Name, "deprecated UCD words replaced", changed);
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
            if (c.Field.Ucd is not { } u || string.IsNullOrWhiteSpace(u)) continue;
            var a = Ucds.Analyze(u);
            if (a.HadUcd1 || a.Deprecated.Count > 0 || a.Ucd is not { } canonical || canonical == u) continue;
            changed.Add($"{c.Name} {u} → {canonical}");
            c.Field.Ucd = canonical;
        }
        if (changed.Count > 0) Repairs.Warn(table, Name, "UCDs respelled", changed);
        return changed.Count;
    }
}

/// <summary>
/// <c>ucd-unknown</c> (a finding, changes nothing): UCDs with words that are neither UCD1+ (UCDList 1.6) nor
/// translatable UCD1, or with words where their syntax code forbids them, named with their column.
/// </summary>
internal sealed class UcdUnknownReport : ITableRepair
{
    public const string Code = "ucd-unknown";

    public string Name => Code;

    public int Apply(Table table)
    {
        if (table.Warnings.All.Any(w => w.Code == Code)) return 0;
        var found = new List<string>();
        foreach (var c in table.Columns)
        {
            if (c.Field.Ucd is not { } u || string.IsNullOrWhiteSpace(u)) continue;
            var a = Ucds.Analyze(u);
            if (a.Problems.Count > 0) found.Add($"{c.Name} '{u}' ({string.Join("; ", a.Problems)})");
        }
        if (found.Count > 0) table.Warnings.Add(Code, "UCDs not understood, left as they are: " + string.Join(", ", found));
        return 0;
    }
}

/// <summary>
/// <c>mag-unit</c>: magnitude columns (and their errors) whose unit is missing or a non-standard spelling of mag
/// (<c>mags</c>, <c>Mag</c>, <c>magnitude</c>, <c>mag(AB)</c>, <c>ABmag</c>, <c>vegamag</c>: any text <see cref="VoUnits"/>
/// reads as a magnitude) get <c>mag</c>; an AB or Vega annotation is kept as the column's magnitude-system hint.
/// </summary>
internal sealed class MagnitudeUnitRepair : ITableRepair
{
    public string Name => "mag-unit";

    public int Apply(Table table)
    {
        var changed = new List<string>();
        foreach (var c in table.Columns)
        {
            var f = c.Field;
            if (f.IsString || !(Repairs.IsMagnitude(f) || Repairs.IsMagnitudeError(f))) continue;
            var unit = f.Unit?.Trim();
            if (unit == "mag" || unit == "mmag") continue;
            if (string.IsNullOrEmpty(unit)) changed.Add($"{c.Name} (no unit)");
            else
            {
                var p = VoUnits.Parse(unit);
                if (p.Unit is not { IsMagnitude: true } u || Math.Abs(u.Factor - 1) > 1e-12) continue; // mmag or a real other unit: leave it
                if (p.MagSystem != MagSystemHint.None) ColumnHints.Of(f).MagSystem ??= p.MagSystem == MagSystemHint.AB ? Model.Units.MagSystem.AB : Model.Units.MagSystem.Vega;
                changed.Add($"{c.Name} '{f.Unit}'{(p.MagSystem != MagSystemHint.None ? $" ({p.MagSystem} kept as the band's system)" : "")}");
            }
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
                if (text is null || Repairs.IsNullLiteral(text)) { (nulls ??= new NullMask(s.Count)).Set(i); continue; }
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
            var literals = new SortedDictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < s.Count && ok; i++)
            {
                var text = s[i]?.Trim();
                if (text is null || Repairs.IsNullLiteral(text))
                {
                    (nulls ??= new NullMask(s.Count)).Set(i);
                    if (text is not null) literals[text] = literals.GetValueOrDefault(text) + 1;
                    continue;
                }
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d) && !double.IsInfinity(d)) { v[i] = d; numbers++; }
                else ok = false;
            }
            if (!ok || numbers == 0) continue;
            var nf = f.Clone();
            nf.DataType = DataType.Double;
            nf.ArraySize = ArraySize.Scalar;
            nf.Width = nf.Precision = null;
            nf.Values = null;
            table.ReplaceColumn(k, new ScalarColumn<double>(nf, v, nulls));
            changed.Add(literals.Count == 0 ? f.Name : $"{f.Name} ({string.Join(", ", literals.Select(x => $"{x.Value} × '{x.Key}'"))} → null)");
        }
        if (changed.Count > 0) Repairs.Warn(table, Name, "numbers stored as text converted to double", changed);
        return changed.Count;
    }
}

