using System.Runtime.CompilerServices;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Photometry;
using VoScript.Engine.Model;
using VoScript.Engine.Science.Interop;

namespace VoScript.Engine.Model.Ucds;

/// <summary>
/// What the repairs learnt about a column that its UCD1+ and VOUnit cannot say: the photometric system a UCD1
/// word named (<c>PHOT_PS1_G</c> → Pan-STARRS) and the magnitude system a unit annotation named
/// (<c>mag(AB)</c>). Kept beside the <see cref="Field"/> (never written to files); copied when a field is cloned
/// by <see cref="CopyTo"/>.
/// </summary>
internal sealed class ColumnHints
{
    private static readonly ConditionalWeakTable<Field, ColumnHints> Table = new();

    /// <summary>The band family (as in the band table: SDSS, Pan-STARRS, 2MASS …), or null.</summary>
    public string? Family { get; set; }

    /// <summary>AB or Vega when the unit or UCD said so, or null.</summary>
    public MagSystem? MagSystem { get; set; }

    /// <summary>The hints of <paramref name="f"/>, created empty on first use.</summary>
    public static ColumnHints Of(Field f) => Table.GetValue(f, _ => new ColumnHints());

    /// <summary>The hints of <paramref name="f"/>, or null when there are none.</summary>
    public static ColumnHints? Find(Field f) => Table.TryGetValue(f, out var h) ? h : null;

    /// <summary>Copies the hints of <paramref name="from"/> (if any) to <paramref name="to"/>, e.g. after <see cref="Field.Clone"/>.</summary>
    public static void CopyTo(Field from, Field to)
    {
        if (Find(from) is not { } h) return;
        var t = Of(to);
        t.Family ??= h.Family;
        t.MagSystem ??= h.MagSystem;
    }
}
