using System.Globalization;
using VoScript.Engine.Model.Units;

namespace VoScript.Engine.Science.Photometry;

/// <summary>
/// A photometric band: its filter (SVO Filter Profile Service id), effective wavelength,
/// zero point and the UCD word that covers it.
/// </summary>
/// <param name="Name">Display name, e.g. <c>2MASS Ks</c>.</param>
/// <param name="Family">Survey or system, e.g. <c>2MASS</c>.</param>
/// <param name="FilterId">SVO filter id, e.g. <c>2MASS/2MASS.Ks</c>.</param>
/// <param name="WavelengthMicrons">Effective (or pivot) wavelength in µm.</param>
/// <param name="ZeroPointJy">Flux density of magnitude 0 in the band's own system, in Jy.</param>
/// <param name="System">Vega or AB.</param>
/// <param name="EmWord">The UCD band word (<c>em.IR.K</c>).</param>
/// <param name="AbOffset">Added to a catalogue magnitude to get a true AB magnitude (SDSS u −0.04, z +0.02); 0 otherwise.</param>
internal sealed record Band(string Name, string Family, string FilterId, double WavelengthMicrons, double ZeroPointJy, MagSystem System, string EmWord, double AbOffset = 0)
{
    /// <summary>The band letters column names use for it (<c>K</c>, <c>Ks</c>); case matters for U B V R I against u g r i z.</summary>
    public IReadOnlyList<string> Keys { get; init; } = [];

    /// <summary>Which wavelength <see cref="WavelengthMicrons"/> is: eff, iso or pivot.</summary>
    public string WavelengthKind { get; init; } = "eff";

    /// <summary>Where the wavelength comes from.</summary>
    public string WavelengthSource { get; init; } = "";

    /// <summary>Where the zero point comes from.</summary>
    public string ZeroPointSource { get; init; } = "";

    /// <summary>The flux density of magnitude 0 in <paramref name="system"/>: the band's zero point in its own system, 3631 Jy for AB.</summary>
    public double ZeroPointIn(MagSystem system) => system == MagSystem.AB ? 3631 : System == MagSystem.Vega ? ZeroPointJy : double.NaN;

    public override string ToString() => Name;
}

/// <summary>
/// The band table, read once from the embedded data file <c>Science/Photometry/Data/bands.tsv</c> (documented with every
/// source in docs/photometry.md): Johnson–Cousins, 2MASS, SDSS, Gaia DR3, WISE, GALEX, Pan-STARRS1, UKIDSS,
/// DES and LSST, with effective wavelengths and zero points.
/// </summary>
internal static class Bands
{
    private static readonly Lazy<Dictionary<string, Band>> ById = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<List<Band>> Ordered = new(() => [.. ById.Value.Values], LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A band by its id in the table (<c>TwoMassKs</c>).</summary>
    public static Band Get(string id) => ById.Value.TryGetValue(id, out var b) ? b : throw new KeyNotFoundException($"no band '{id}' in bands.tsv");

    public static Band JohnsonU => Get(nameof(JohnsonU));
    public static Band JohnsonB => Get(nameof(JohnsonB));
    public static Band JohnsonV => Get(nameof(JohnsonV));
    public static Band CousinsR => Get(nameof(CousinsR));
    public static Band CousinsI => Get(nameof(CousinsI));
    public static Band TwoMassJ => Get(nameof(TwoMassJ));
    public static Band TwoMassH => Get(nameof(TwoMassH));
    public static Band TwoMassKs => Get(nameof(TwoMassKs));
    public static Band SdssU => Get(nameof(SdssU));
    public static Band SdssG => Get(nameof(SdssG));
    public static Band SdssR => Get(nameof(SdssR));
    public static Band SdssI => Get(nameof(SdssI));
    public static Band SdssZ => Get(nameof(SdssZ));
    public static Band GaiaG => Get(nameof(GaiaG));
    public static Band GaiaBp => Get(nameof(GaiaBp));
    public static Band GaiaRp => Get(nameof(GaiaRp));
    public static Band WiseW1 => Get(nameof(WiseW1));
    public static Band WiseW2 => Get(nameof(WiseW2));
    public static Band WiseW3 => Get(nameof(WiseW3));
    public static Band WiseW4 => Get(nameof(WiseW4));
    public static Band GalexFuv => Get(nameof(GalexFuv));
    public static Band GalexNuv => Get(nameof(GalexNuv));
    public static Band Ps1G => Get(nameof(Ps1G));
    public static Band Ps1R => Get(nameof(Ps1R));
    public static Band Ps1I => Get(nameof(Ps1I));
    public static Band Ps1Z => Get(nameof(Ps1Z));
    public static Band Ps1Y => Get(nameof(Ps1Y));

    /// <summary>Every band, in the order of the table (by family, then wavelength).</summary>
    public static IReadOnlyList<Band> All => Ordered.Value;

    /// <summary>The families of the table (<c>Johnson</c>, <c>2MASS</c>, <c>SDSS</c> …).</summary>
    public static IEnumerable<string> Families => All.Select(b => b.Family).Distinct();

    /// <summary>The band of <paramref name="family"/> whose keys include <paramref name="key"/> (exact case first, then any case), or null.</summary>
    public static Band? InFamily(string family, string key)
    {
        var fam = All.Where(b => b.Family.Equals(family, StringComparison.OrdinalIgnoreCase)).ToList();
        return fam.FirstOrDefault(b => b.Keys.Contains(key, StringComparer.Ordinal))
               ?? fam.FirstOrDefault(b => b.Keys.Contains(key, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The default band for a UCD band word alone (no name hint): Johnson–Cousins for em.opt.*, 2MASS for em.IR.J/H/K, WISE, GALEX.</summary>
    public static Band? FromEmWord(string? emWord) => emWord?.ToLowerInvariant() switch
    {
        "em.opt.u" => JohnsonU,
        "em.opt.b" => JohnsonB,
        "em.opt.v" => JohnsonV,
        "em.opt.r" => CousinsR,
        "em.opt.i" => CousinsI,
        "em.ir.j" => TwoMassJ,
        "em.ir.h" => TwoMassH,
        "em.ir.k" => TwoMassKs,
        "em.ir.3-4um" => WiseW1,
        "em.ir.4-8um" => WiseW2,
        "em.ir.8-15um" => WiseW3,
        "em.ir.15-30um" => WiseW4,
        "em.uv.100-200nm" => GalexFuv,
        "em.uv.200-300nm" => GalexNuv,
        _ => null,
    };

    private static Dictionary<string, Band> Load()
    {
        var asm = typeof(Bands).Assembly;
        using var s = asm.GetManifestResourceStream("VoScript.Engine.Science.Photometry.Data.bands.tsv")
            ?? throw new InvalidOperationException("embedded resource bands.tsv is missing");
        using var r = new StreamReader(s);
        var result = new Dictionary<string, Band>(StringComparer.Ordinal);
        string[]? header = null;
        while (r.ReadLine() is { } line)
        {
            if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line)) continue;
            var f = line.Split('\t');
            if (header is null) { header = f; continue; }
            string Col(string name) => f[Array.IndexOf(header, name)];
            double Num(string name) => double.Parse(Col(name), NumberStyles.Float, CultureInfo.InvariantCulture);
            var band = new Band(Col("name"), Col("family"), Col("filter_id"), Num("lambda_um"), Num("zp_jy"),
                Col("system") == "AB" ? MagSystem.AB : MagSystem.Vega, Col("em_word"), Num("ab_offset"))
            {
                Keys = Col("keys").Split(' ', StringSplitOptions.RemoveEmptyEntries),
                WavelengthKind = Col("lambda_kind"),
                WavelengthSource = Col("source_lambda"),
                ZeroPointSource = Col("source_zp"),
            };
            result.Add(Col("id"), band);
        }
        return result;
    }
}
