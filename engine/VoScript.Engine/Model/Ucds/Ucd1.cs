using System.Globalization;
using VoScript.Engine.Science.Interop;

namespace VoScript.Engine.Model.Ucds;

/// <summary>A UCD1 word translated to UCD1+.</summary>
/// <param name="Ucd">The UCD1+ (UCDList words, canonical spelling).</param>
/// <param name="Inferred">False when the explicit correspondence list gave it; true when the family rules did.</param>
/// <param name="Family">For photometry, the photometric system the word names (<c>SDSS</c>, <c>Pan-STARRS</c>, <c>2MASS</c> …), else null.</param>
internal sealed record Ucd1Translation(string Ucd, bool Inferred, string? Family);

/// <summary>
/// UCD1 → UCD1+: the explicit list first (Model/Ucds/Data/ucd1-to-ucd1p.txt), then rules that follow the
/// structure of the UCD1 families, so that words nobody listed — archive schemas write their own
/// <c>PHOT_PS1_G</c>, <c>PHOT_2MASS_KS</c>, <c>POS_EQ_RA_ICRS</c>, <c>PHOT_SDSS_R_ERROR</c> — are translated too:
/// <list type="bullet">
/// <item><c>…_MAIN</c> adds <c>meta.main</c>; <c>ERROR_…</c>/<c>…_ERROR</c>/<c>…_ERR</c> put <c>stat.error</c> first;</item>
/// <item><c>PHOT_[system_][kind_]band</c>: the kind (magnitude by default, <c>FLUX</c> flux density, <c>SB</c> surface
/// brightness, <c>ABS-MAG</c> absolute magnitude) and the band's <c>em.*</c> word from the band letter, the UV
/// wavelength in Å, the IR wavelength in µm or the radio frequency; <c>X-Y</c> is a colour with two <c>em.*</c> words;</item>
/// <item><c>POS_EQ_RA…</c>, <c>POS_EQ_DEC…</c>, <c>POS_EQ_PM…</c>, <c>POS_GAL_…</c>, <c>POS_PARLX…</c>, and the
/// families <c>ID_</c>, <c>CODE_</c>, <c>CLASS_</c>, <c>REDSHIFT</c>, <c>SPECT_TYPE</c>, <c>TIME_</c>, <c>VELOC_</c>,
/// <c>EXTENSION_</c>, <c>FIT_</c>, <c>NOTE</c> to their UCD1+ parents.</item>
/// </list>
/// Anything else is not translated (null) and reported by the caller.
/// </summary>
internal static class Ucd1
{
    /// <summary>True when <paramref name="text"/> looks like a UCD1 word: no '.', and either listed as UCD1 or upper-case letters with '_' (case-insensitively, a UCD1+ word is never taken for one).</summary>
    public static bool LooksLikeUcd1(string text)
    {
        var t = text.Trim();
        if (t.Length == 0 || t.Contains(';')) return false;
        if (UcdVocabulary.Word(t) is not null) return false; // "phot", "pos": valid UCD1+ single atoms
        if (UcdVocabulary.IsListedUcd1(t)) return true;
        if (t.Contains('.') && !t.Contains('_')) return false;
        return t.Contains('_') && t.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '/' or ':' or '\'' or '.' or '[' or ']');
    }

    /// <summary>Translates one UCD1 word; null when neither the list nor the rules can.</summary>
    public static Ucd1Translation? Translate(string word)
    {
        var w = word.Trim().ToUpperInvariant();
        if (UcdVocabulary.ExplicitUcd1(w) is { } x) return new Ucd1Translation(x, false, FamilyOf(w));
        return Infer(w);
    }

    private static Ucd1Translation? Infer(string w)
    {
        if (w.EndsWith("_MAIN", StringComparison.Ordinal) && w.Length > 5)
            return Translate(w[..^5]) is { } t ? t with { Ucd = Append(t.Ucd, "meta.main"), Inferred = true } : null;
        foreach (var suffix in new[] { "_ERROR", "_ERR", "_ERROR_STAT" })
            if (w.EndsWith(suffix, StringComparison.Ordinal) && w.Length > suffix.Length)
                return Translate(w[..^suffix.Length]) is { } t ? t with { Ucd = "stat.error;" + StripMain(t.Ucd), Inferred = true } : null;
        if (w.StartsWith("ERROR_", StringComparison.Ordinal))
            return Translate(w[6..]) is { } t ? t with { Ucd = "stat.error;" + StripMain(t.Ucd), Inferred = true } : null;
        if (w.StartsWith("PHOT_", StringComparison.Ordinal)) return Photometry(w[5..].Split('_'));
        if (w.StartsWith("POS_", StringComparison.Ordinal)) return Position(w);
        string? parent = w switch
        {
            _ when w.StartsWith("ID_", StringComparison.Ordinal) => "meta.id",
            _ when w.StartsWith("CODE_", StringComparison.Ordinal) => "meta.code",
            _ when w.StartsWith("CLASS_", StringComparison.Ordinal) => "src.class",
            _ when w.StartsWith("REDSHIFT", StringComparison.Ordinal) => "src.redshift",
            _ when w.StartsWith("SPECT_TYPE", StringComparison.Ordinal) => "src.spType",
            _ when w.StartsWith("TIME_", StringComparison.Ordinal) => "time",
            _ when w.StartsWith("VELOC_", StringComparison.Ordinal) => "phys.veloc",
            _ when w.StartsWith("EXTENSION_", StringComparison.Ordinal) => "phys.angSize",
            _ when w.StartsWith("FIT_", StringComparison.Ordinal) => "stat.fit",
            _ when w.StartsWith("NOTE", StringComparison.Ordinal) => "meta.note",
            _ when w.StartsWith("REFER_", StringComparison.Ordinal) => "meta.bib",
            _ when w.StartsWith("PHYS_TEMP", StringComparison.Ordinal) => "phys.temperature",
            _ when w.StartsWith("PHYS_MASS", StringComparison.Ordinal) => "phys.mass",
            _ when w.StartsWith("PHYS_LUMINOSITY", StringComparison.Ordinal) => "phys.luminosity",
            _ when w.StartsWith("PHYS_SIZE", StringComparison.Ordinal) => "phys.size",
            _ when w.StartsWith("PHYS_DISTANCE", StringComparison.Ordinal) => "pos.distance",
            _ when w.StartsWith("PHYS_ABUND", StringComparison.Ordinal) => "phys.abund",
            _ => null,
        };
        return parent is null ? null : new Ucd1Translation(parent, true, null);
    }

    private static string Append(string ucd, string word) =>
        ucd.Split(';').Contains(word, StringComparer.OrdinalIgnoreCase) ? ucd : ucd + ";" + word;

    private static string StripMain(string ucd) =>
        string.Join(';', ucd.Split(';').Where(x => !x.Equals("meta.main", StringComparison.OrdinalIgnoreCase)));

    private static Ucd1Translation? Position(string w)
    {
        var rest = w[4..];
        string? ucd = rest switch
        {
            _ when rest.StartsWith("EQ_PMRA", StringComparison.Ordinal) => "pos.pm;pos.eq.ra",
            _ when rest.StartsWith("EQ_PMDE", StringComparison.Ordinal) => "pos.pm;pos.eq.dec",
            _ when rest.StartsWith("EQ_RA", StringComparison.Ordinal) => "pos.eq.ra",
            _ when rest.StartsWith("EQ_DE", StringComparison.Ordinal) => "pos.eq.dec",
            _ when rest.StartsWith("GAL_LON", StringComparison.Ordinal) || rest == "GAL_L" => "pos.galactic.lon",
            _ when rest.StartsWith("GAL_LAT", StringComparison.Ordinal) || rest == "GAL_B" => "pos.galactic.lat",
            _ when rest.StartsWith("EC_LON", StringComparison.Ordinal) => "pos.ecliptic.lon",
            _ when rest.StartsWith("EC_LAT", StringComparison.Ordinal) => "pos.ecliptic.lat",
            _ when rest.StartsWith("SG_LON", StringComparison.Ordinal) => "pos.supergalactic.lon",
            _ when rest.StartsWith("SG_LAT", StringComparison.Ordinal) => "pos.supergalactic.lat",
            _ when rest.StartsWith("PARLX", StringComparison.Ordinal) || rest.StartsWith("PLX", StringComparison.Ordinal) => "pos.parallax",
            _ when rest.StartsWith("ANG_DIST", StringComparison.Ordinal) => "pos.angDistance",
            _ when rest.StartsWith("POS-ANG", StringComparison.Ordinal) => "pos.posAng",
            _ => null,
        };
        return ucd is null ? null : new Ucd1Translation(ucd, true, null);
    }

    private static readonly Dictionary<string, string> Families = new(StringComparer.OrdinalIgnoreCase)
    {
        ["JHN"] = "Johnson", ["JOHNSON"] = "Johnson", ["COUS"] = "Johnson", ["COUSINS"] = "Johnson",
        ["SDSS"] = "SDSS", ["SLOAN"] = "SDSS",
        ["PS1"] = "Pan-STARRS", ["PANSTARRS"] = "Pan-STARRS", ["PAN-STARRS"] = "Pan-STARRS", ["PS"] = "Pan-STARRS",
        ["2MASS"] = "2MASS", ["TWOMASS"] = "2MASS", ["WISE"] = "WISE", ["ALLWISE"] = "WISE", ["GALEX"] = "GALEX",
        ["UKIDSS"] = "UKIDSS", ["WFCAM"] = "UKIDSS", ["UKIRT"] = "UKIDSS", ["DES"] = "DES", ["DECAM"] = "DES",
        ["LSST"] = "LSST", ["RUBIN"] = "LSST", ["GAIA"] = "Gaia",
    };

    private static string? FamilyOf(string w)
    {
        if (!w.StartsWith("PHOT_", StringComparison.Ordinal)) return null;
        foreach (var t in w.Split('_')) if (Families.TryGetValue(t, out var f)) return f;
        return null;
    }

    private static readonly HashSet<string> OtherSystems = new(StringComparer.OrdinalIgnoreCase)
    {
        "GUNN", "TYCHO", "HIPPAR", "PHG", "STR", "VIL", "WASH", "WLRV", "DDO", "GEN", "PAL", "HEI", "UVBGRI", "LCKWD", "HST", "RF", "13C", "UBVR20", "AB", "VEGA",
    };

    private static Ucd1Translation? Photometry(string[] tokens)
    {
        string? family = null;
        var kind = "phot.mag";
        var rest = new List<string>();
        for (var i = 0; i < tokens.Length; i++)
        {
            var t = tokens[i];
            if (Families.TryGetValue(t, out var f)) { family = f; continue; }
            if (t is "FLUX" && i + 1 < tokens.Length && tokens[i + 1] == "DENSITY") { kind = "phot.flux.density"; i++; continue; }
            switch (t)
            {
                case "FLUX" or "FLUXDENS" or "FNU": kind = "phot.flux.density"; continue;
                case "SB": kind = "phot.mag.sb"; continue;
                case "ABS-MAG" or "ABSMAG": kind = "phys.magAbs"; continue;
                case "MAG" or "INT-MAG" or "MAGNITUDE" or "APER" or "PSF" or "PETRO" or "MODEL" or "AUTO" or "TOTAL" or "MEAN": continue;
                case "CI" or "COLOR" or "COLOUR": kind = "phot.color"; continue;
                case "RADIO" or "X" or "UV" or "IR" when i + 1 < tokens.Length: rest.Add(t); continue;
            }
            if (OtherSystems.Contains(t) && i + 1 < tokens.Length) continue;
            rest.Add(t);
        }
        if (rest.Count == 0) return null;
        var last = rest[^1];
        string? em;
        if (rest.Count >= 2 && rest[^2] == "RADIO") em = RadioWord(last);
        else if (rest.Count >= 2 && rest[^2] == "UV") em = UvWord(last);
        else if (rest.Count >= 2 && rest[^2] == "IR") em = IrWord(last);
        else if (last.Contains('-') && last.Split('-') is [var a, var b] && BandWord(a, family) is { } ea && BandWord(b, family) is { } eb)
            return new Ucd1Translation($"phot.color;{ea};{eb}", true, family);
        else em = BandWord(last, family);
        if (em is null) return null;
        return new Ucd1Translation($"{kind};{em}", true, family);
    }

    /// <summary>The em.* word of a band name (letters as in UCD1 and survey schemas).</summary>
    internal static string? BandWord(string band, string? family = null) => band.ToUpperInvariant().TrimEnd('\'') switch
    {
        "U" => "em.opt.U",
        "B" or "BJ" => "em.opt.B",
        "V" => "em.opt.V",
        "R" or "RF" => "em.opt.R",
        "I" or "IN" => "em.opt.I",
        "G" when family == "Gaia" => "em.opt",
        "G" => "em.opt.B",
        "BP" => "em.opt.B",
        "RP" => "em.opt.R",
        "Z" => "em.opt.I",
        "Y" when family is "UKIDSS" or "DES" => "em.IR.J",
        "Y" => "em.opt.I",
        "J" => "em.IR.J",
        "H" => "em.IR.H",
        "K" or "KS" => "em.IR.K",
        "L" => "em.IR.3-4um",
        "M" => "em.IR.4-8um",
        "N" => "em.IR.8-15um",
        "Q" => "em.IR.15-30um",
        "W1" => "em.IR.3-4um",
        "W2" => "em.IR.4-8um",
        "W3" => "em.IR.8-15um",
        "W4" => "em.IR.15-30um",
        "FUV" => "em.UV.100-200nm",
        "NUV" => "em.UV.200-300nm",
        _ => null,
    };

    private static double? Number(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static string? UvWord(string angstrom) => Number(angstrom) is { } a
        ? a < 500 ? "em.UV.10-50nm" : a < 1000 ? "em.UV.50-100nm" : a < 2000 ? "em.UV.100-200nm" : a < 3000 ? "em.UV.200-300nm" : "em.opt.U"
        : null;

    private static string? IrWord(string microns) => Number(microns) is { } u
        ? u < 1.5 ? "em.IR.J" : u < 2 ? "em.IR.H" : u < 3 ? "em.IR.K" : u < 4 ? "em.IR.3-4um" : u < 8 ? "em.IR.4-8um"
          : u < 15 ? "em.IR.8-15um" : u < 30 ? "em.IR.15-30um" : u < 60 ? "em.IR.30-60um" : u < 100 ? "em.IR.60-100um" : "em.IR.FIR"
        : null;

    private static string? RadioWord(string freq)
    {
        if (freq.Length < 2) return null;
        var mult = freq[^1] switch { 'G' => 1000.0, 'M' => 1.0, _ => double.NaN };
        if (double.IsNaN(mult) || Number(freq[..^1]) is not { } v) return null;
        var mhz = v * mult;
        return mhz < 20 ? "em.radio.20MHz" : mhz < 100 ? "em.radio.20-100MHz" : mhz < 200 ? "em.radio.100-200MHz" : mhz < 400 ? "em.radio.200-400MHz"
            : mhz < 750 ? "em.radio.400-750MHz" : mhz < 1500 ? "em.radio.750-1500MHz" : mhz < 3000 ? "em.radio.1500-3000MHz" : mhz < 6000 ? "em.radio.3-6GHz"
            : mhz < 12000 ? "em.radio.6-12GHz" : mhz < 30000 ? "em.radio.12-30GHz" : mhz < 50000 ? "em.mm.30-50GHz" : mhz < 100000 ? "em.mm.50-100GHz"
            : mhz < 200000 ? "em.mm.100-200GHz" : mhz < 400000 ? "em.mm.200-400GHz" : mhz < 750000 ? "em.mm.400-750GHz" : "em.mm.750-1500GHz";
    }
}
