using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Sky;
using VoScript.Engine.Model;
using VoScript.Engine.Model.Ucds;

namespace VoScript.Engine.Science.Interop;

/// <summary>
/// <c>unit-spelling</c>: units that are not VOUnits as written but that <see cref="VoUnits"/> reads
/// (<c>degrees</c>, <c>arcsecs</c>, <c>Jansky</c>, <c>erg/s/cm2/A</c>, <c>km/sec</c>, <c>10-26W/m2/Hz</c>) are replaced by their
/// VOUnits spelling. Magnitude columns are left to <c>mag-unit</c>, sexagesimal text to <c>sexagesimal</c>.
/// </summary>
internal sealed class UnitSpellingRepair : ITableRepair
{
    public string Name => "unit-spelling";

    public int Apply(Table table)
    {
        var changed = new List<string>();
        foreach (var c in table.Columns)
        {
            var f = c.Field;
            if (string.IsNullOrWhiteSpace(f.Unit) || Angles.IsSexagesimalUnit(f.Unit)) continue;
            var p = VoUnits.Parse(f.Unit);
            if (!p.Ok || p.IsStandard || p.Canonical is not { Length: > 0 } canonical || canonical == f.Unit) continue;
            if (p.Unit!.IsMagnitude && p.MagSystem != MagSystemHint.None)
                ColumnHints.Of(f).MagSystem ??= p.MagSystem == MagSystemHint.AB ? Model.Units.MagSystem.AB : Model.Units.MagSystem.Vega;
            changed.Add($"{c.Name} '{f.Unit}' → {canonical}");
            f.Unit = canonical;
        }
        if (changed.Count > 0) Repairs.Warn(table, Name, "units respelled as VOUnits", changed);
        return changed.Count;
    }
}

/// <summary><c>unit-unknown</c> (a finding, changes nothing): units no rule can read, named with their column and the reason.</summary>
internal sealed class UnitUnknownReport : ITableRepair
{
    public const string Code = "unit-unknown";

    public string Name => Code;

    public int Apply(Table table)
    {
        if (table.Warnings.All.Any(w => w.Code == Code)) return 0;
        var found = new List<string>();
        foreach (var c in table.Columns)
        {
            var u = c.Field.Unit;
            if (string.IsNullOrWhiteSpace(u) || Angles.IsSexagesimalUnit(u)) continue;
            var p = VoUnits.Parse(u);
            if (!p.Ok) found.Add($"{c.Name} '{u}'");
        }
        if (found.Count > 0) table.Warnings.Add(Code, "units not understood, left as they are: " + string.Join(", ", found));
        return 0;
    }
}
