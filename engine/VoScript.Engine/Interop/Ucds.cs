namespace VoScript.Engine.Interop;

/// <summary>
/// UCD helpers: UCDs are case-insensitive (UCDList §2), so comparisons fold case;
/// <see cref="Canonical"/> gives the spelling of the UCD1+ list, and
/// <see cref="FromUcd1"/> maps the common CDS UCD1 words to UCD1+.
/// </summary>
internal static class Ucds
{
    // Atoms the UCD1+ list spells with capitals; everything else is lower case.
    private static readonly Dictionary<string, string> CasedAtoms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["IR"] = "IR", ["UV"] = "UV", ["X-ray"] = "X-ray", ["NIR"] = "NIR", ["MIR"] = "MIR", ["FIR"] = "FIR",
        ["angDistance"] = "angDistance", ["angSize"] = "angSize", ["spType"] = "spType",
        ["starGalaxy"] = "starGalaxy", ["fluxDens"] = "fluxDens", ["colorExcess"] = "colorExcess",
        ["HI"] = "HI", ["Halpha"] = "Halpha", ["EUV"] = "EUV", ["ISM"] = "ISM", ["AGN"] = "AGN",
    };

    private static readonly Dictionary<string, string> Ucd1 = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ID_MAIN"] = "meta.id;meta.main",
        ["ID_IDENTIFIER"] = "meta.id",
        ["ID_ALTERNATIVE"] = "meta.id",
        ["POS_EQ_RA_MAIN"] = "pos.eq.ra;meta.main",
        ["POS_EQ_DEC_MAIN"] = "pos.eq.dec;meta.main",
        ["POS_EQ_RA"] = "pos.eq.ra",
        ["POS_EQ_DEC"] = "pos.eq.dec",
        ["POS_GAL_LON"] = "pos.galactic.lon",
        ["POS_GAL_LAT"] = "pos.galactic.lat",
        ["POS_EQ_PMRA"] = "pos.pm;pos.eq.ra",
        ["POS_EQ_PMDEC"] = "pos.pm;pos.eq.dec",
        ["POS_PARLX_TRIG"] = "pos.parallax.trig",
        ["POS_ANG_DIST_GENERAL"] = "pos.angDistance",
        ["PHOT_JHN_U"] = "phot.mag;em.opt.U",
        ["PHOT_JHN_B"] = "phot.mag;em.opt.B",
        ["PHOT_JHN_V"] = "phot.mag;em.opt.V",
        ["PHOT_JHN_R"] = "phot.mag;em.opt.R",
        ["PHOT_JHN_I"] = "phot.mag;em.opt.I",
        ["PHOT_JHN_J"] = "phot.mag;em.IR.J",
        ["PHOT_JHN_H"] = "phot.mag;em.IR.H",
        ["PHOT_JHN_K"] = "phot.mag;em.IR.K",
        ["PHOT_SDSS_U"] = "phot.mag;em.opt.U",
        ["PHOT_SDSS_G"] = "phot.mag;em.opt.B",
        ["PHOT_SDSS_R"] = "phot.mag;em.opt.R",
        ["PHOT_SDSS_I"] = "phot.mag;em.opt.I",
        ["PHOT_SDSS_Z"] = "phot.mag;em.opt.I",
        ["PHOT_MAG"] = "phot.mag",
        ["PHOT_FLUX_DENSITY"] = "phot.flux.density",
        ["ERROR"] = "stat.error",
        ["OBS_ANG-SIZE"] = "phys.angSize;obs",
        ["REDSHIFT_HC"] = "src.redshift",
        ["SPECT_TYPE_MK"] = "src.spType",
        ["CLASS_OBJECT"] = "src.class",
        ["CODE_QUALITY"] = "meta.code.qual",
        ["CODE_MISC"] = "meta.code",
        ["TIME_EPOCH"] = "time.epoch",
    };

    /// <summary>True when the text looks like a UCD1 word: upper case with '_' and no '.'.</summary>
    public static bool IsUcd1(string ucd)
    {
        var t = ucd.Trim();
        return t.Length > 0 && !t.Contains('.') && t.Contains('_') && t == t.ToUpperInvariant()
            || Ucd1.ContainsKey(t);
    }

    /// <summary>The UCD1+ equivalent of a UCD1 word, or null when it is not a known one.</summary>
    public static string? FromUcd1(string ucd)
    {
        var t = ucd.Trim();
        if (Ucd1.TryGetValue(t, out var v)) return v;
        // Unknown *_MAIN words: at least keep the "main" qualifier meaningfully.
        return null;
    }

    /// <summary>The UCD1+ list spelling: trimmed, words separated by ';' without blanks, atoms in their canonical case.</summary>
    public static string Canonical(string ucd)
    {
        var words = ucd.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var w = 0; w < words.Length; w++)
        {
            var atoms = words[w].Split('.');
            for (var a = 0; a < atoms.Length; a++)
            {
                var atom = atoms[a];
                if (CasedAtoms.TryGetValue(atom, out var cased)) atoms[a] = cased;
                // Band letters after em.opt / em.IR are capitals: em.opt.R, em.IR.K.
                else if (a == 2 && atom.Length == 1 && atoms[0].Equals("em", StringComparison.OrdinalIgnoreCase)
                         && (atoms[1].Equals("opt", StringComparison.OrdinalIgnoreCase) || atoms[1].Equals("IR", StringComparison.OrdinalIgnoreCase)))
                    atoms[a] = atom.ToUpperInvariant();
                // Atoms written with a leading capital (PHOT, Mag) are folded; atoms that start in lower
                // case are kept as written, so valid camelCase atoms we do not list (posAng) survive.
                else if (atom.Length > 0 && (char.IsUpper(atom[0]) || !atom.Any(char.IsLower))) atoms[a] = atom.ToLowerInvariant();
            }
            words[w] = string.Join('.', atoms);
        }
        return string.Join(';', words);
    }

    /// <summary>
    /// The UCD in canonical UCD1+ form: UCD1 words mapped, case and blanks fixed.
    /// Null or blank stays null.
    /// </summary>
    public static string? Normalize(string? ucd)
    {
        if (string.IsNullOrWhiteSpace(ucd)) return null;
        if (IsUcd1(ucd) && FromUcd1(ucd) is { } mapped) return mapped;
        return Canonical(ucd);
    }

    /// <summary>The words of a (normalized) UCD, lower-cased for comparison.</summary>
    public static string[] Words(string? ucd) =>
        Normalize(ucd) is { } n
            ? n.ToLowerInvariant().Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [];

    /// <summary>True when the primary (first) word of the UCD is <paramref name="word"/> (case-insensitive).</summary>
    public static bool PrimaryIs(string? ucd, string word) =>
        Words(ucd) is [var first, ..] && first == word.ToLowerInvariant();

    /// <summary>True when the UCD has the word <paramref name="word"/> at any position.</summary>
    public static bool HasWord(string? ucd, string word) => Words(ucd).Contains(word.ToLowerInvariant());

    /// <summary>The first <c>em.*</c> word, canonical case (e.g. <c>em.IR.K</c>), or null.</summary>
    public static string? EmWord(string? ucd)
    {
        if (Normalize(ucd) is not { } n) return null;
        foreach (var w in n.Split(';'))
            if (w.StartsWith("em.", StringComparison.OrdinalIgnoreCase) || w.Equals("em", StringComparison.OrdinalIgnoreCase))
                return w;
        return null;
    }
}
