using VoScript.Engine.Model.Ucds;
using VoScript.Engine.Science.Interop;
using VoScript.Engine.Model;
using VoScript.Engine.Model.Units;

namespace VoScript.Engine.Science.Photometry;

/// <summary>What a photometric column holds.</summary>
internal enum PhotometryKind
{
    Magnitude,
    FluxDensity,
}

/// <summary>A photometric column, its error column (if any), its band and how values convert.</summary>
/// <param name="Value">The magnitudes or flux densities.</param>
/// <param name="Error">Their errors (<c>stat.error</c>), or null.</param>
/// <param name="Band">The band it was identified as.</param>
/// <param name="Kind">Magnitude or flux density.</param>
/// <param name="ToJansky">For flux densities: factor from the column's unit to Jy (mJy: 0.001; F<sub>λ</sub> at the band's wavelength); for magnitudes the factor to mag (mmag: 0.001).</param>
/// <param name="BandFrom">How the band was found: "name", "UCD", "name+UCD", "UCD1" (the system a UCD1 word named) and "+unit".</param>
internal sealed record PhotometryColumn(Column Value, Column? Error, Band Band, PhotometryKind Kind, double ToJansky, string BandFrom)
{
    /// <summary>The magnitude system of the values: the band's own, unless the unit (<c>mag(AB)</c>), a UCD1 word or the name (<c>_ab</c>) says otherwise.</summary>
    public MagSystem System { get; init; } = Band.System;

    /// <summary>Flux density of magnitude 0 in <see cref="System"/>, in Jy.</summary>
    public double ZeroPointJy { get; init; } = Band.ZeroPointJy;

    /// <summary>Added to the magnitudes to get true AB magnitudes (the band's offset when in its own system).</summary>
    public double AbOffset { get; init; } = Band.AbOffset;

    /// <summary>Factor from the error column's unit to Jy (fluxes) or mag (magnitudes).</summary>
    public double ErrorToJansky { get; init; } = ToJansky;
}

/// <summary>
/// Finds the photometry of a table: columns with UCD <c>phot.mag;em.*</c> or
/// <c>phot.flux.density;em.*</c> (and, without UCDs, VizieR-style names such as Jmag),
/// their <c>stat.error</c> columns, and their bands from column name and UCD.
/// </summary>
internal static class PhotometryColumns
{
    private static readonly HashSet<string> Noise = new(StringComparer.OrdinalIgnoreCase)
    {
        "mag", "mags", "phot", "mean", "psf", "ap", "aper", "auto", "petro", "model", "cmodel", "kron", "m", "mpro", "flux", "fluxes",
        "e", "err", "error", "sig", "sigma", "ab", "vega", "abmag", "corr", "dered", "obs", "best", "tot", "total", "fib", "fiber",
        "msig", "msigcom", "density", "fnu", "jy", "mjy", "ujy", "wise", "galex", "sdss", "gaia", "twomass", "2mass", "ps1", "cat",
    };

    private static readonly string[] Suffixes = ["mag", "mpro", "psf", "flux", "ap", "auto", "petro", "model", "kron", "mean", "err", "msig", "fnu"];
    private static readonly string[] Prefixes = ["mag", "phot", "psf", "petro", "model", "cmodel", "flux", "err"];

    private static readonly HashSet<string> BandKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "u", "b", "v", "r", "i", "j", "h", "k", "ks", "g", "z", "y", "bp", "rp", "w1", "w2", "w3", "w4", "fuv", "nuv",
    };

    /// <summary>
    /// The band letter(s) in a column name, case kept (<c>Jmag</c> → J, <c>phot_bp_mean_mag</c> → bp,
    /// <c>w1mpro</c> → w1, <c>mag_U</c> → U); null when none or more than one.
    /// </summary>
    public static string? BandKey(string name)
    {
        string? found = null;
        foreach (var raw in name.Split(['_', '-', '.', ' ', '(', ')', '[', ']'], StringSplitOptions.RemoveEmptyEntries))
        {
            var token = raw;
            if (Noise.Contains(token)) continue;
            // survey suffixes with a number or a method: yAperMag3 (UKIDSS), gPetroMag, mag_auto_g (DES)
            var stripped = System.Text.RegularExpressions.Regex.Replace(token, @"(?i)(aper|petro|hall|psf|kron|iso|auto|model|cmodel|fiber)?mag(err)?\d*$", "");
            if (stripped.Length > 0 && stripped.Length < token.Length) token = stripped;
            for (var changed = true; changed && token.Length > 1;)
            {
                changed = false;
                foreach (var s in Suffixes)
                    if (token.Length > s.Length && token.EndsWith(s, StringComparison.OrdinalIgnoreCase)) { token = token[..^s.Length]; changed = true; break; }
                foreach (var p in Prefixes)
                    if (token.Length > p.Length && token.StartsWith(p, StringComparison.OrdinalIgnoreCase)) { token = token[p.Length..]; changed = true; break; }
            }
            if (Noise.Contains(token) || !BandKeys.Contains(token)) continue;
            if (found is not null && !found.Equals(token, StringComparison.OrdinalIgnoreCase)) return null; // a colour such as g_r
            found = token;
        }
        return found;
    }

    /// <summary>Survey hints from all photometric column names of a table: the band family the table's columns point to, or null.</summary>
    private sealed record Context(bool Gaia, bool Ps1, bool Sdss, string? Family);

    private static readonly (string Word, string Family)[] FamilyWords =
    [
        ("ukidss", "UKIDSS"), ("wfcam", "UKIDSS"), ("ukirt", "UKIDSS"), ("apermag", "UKIDSS"), ("petromag", "UKIDSS"), ("hallmag", "UKIDSS"),
        ("decam", "DES"), ("des_", "DES"), ("des", "DES"), ("_des", "DES"), ("lsst", "LSST"), ("rubin", "LSST"),
        ("ps1", "Pan-STARRS"), ("panstarrs", "Pan-STARRS"), ("pan-starrs", "Pan-STARRS"), ("gaia", "Gaia"), ("phot_g_mean", "Gaia"),
        ("sdss", "SDSS"), ("sloan", "SDSS"), ("2mass", "2MASS"), ("twomass", "2MASS"), ("allwise", "WISE"), ("wise", "WISE"), ("galex", "GALEX"),
    ];

    private static string? FamilyFromText(string text)
    {
        var h = text.ToLowerInvariant();
        foreach (var (w, f) in FamilyWords)
        {
            if (w == "des") { if (System.Text.RegularExpressions.Regex.IsMatch(h, @"(^|[^a-z])des([^a-z]|$)")) return f; continue; }
            if (h.Contains(w, StringComparison.Ordinal)) return f;
        }
        return null;
    }

    private static Context ContextOf(IEnumerable<string> keys, IEnumerable<string> hints, IEnumerable<string?> familyHints)
    {
        var k = keys.ToList();
        var hintList = hints.ToList();
        var h = string.Join(" ", hintList).ToLowerInvariant();
        var family = familyHints.FirstOrDefault(f => f is not null) ?? hintList.Select(FamilyFromText).FirstOrDefault(f => f is not null);
        bool Has(string x) => k.Contains(x, StringComparer.OrdinalIgnoreCase);
        if (family is null && Has("y") && (Has("j") || Has("h") || Has("k")) && !k.Contains("g") && !k.Contains("r")) family = "UKIDSS";
        if (family is null && k.Contains("u") && k.Contains("y")) family = "LSST";
        var gaia = family == "Gaia" || Has("bp") || Has("rp") || h.Contains("gaia", StringComparison.Ordinal) || h.Contains("phot_g_mean", StringComparison.Ordinal);
        var ps1 = family == "Pan-STARRS" || Has("y") && !k.Contains("u") && family is null
                  || h.Contains("ps1", StringComparison.Ordinal) || h.Contains("panstarrs", StringComparison.Ordinal) || h.Contains("pan-starrs", StringComparison.Ordinal);
        var sdss = family == "SDSS" || k.Where(x => x is "u" or "g" or "r" or "i" or "z").Distinct().Count() >= 3 || h.Contains("sdss", StringComparison.Ordinal);
        return new Context(gaia, ps1, sdss, family);
    }

    /// <summary>The band of a key in a table context; null when the key names no band.</summary>
    private static Band? FromKey(string key, Context ctx) =>
        ctx.Family is { } fam && Bands.InFamily(fam, key) is { } inFamily ? inFamily : FromKeyDefault(key, ctx);

    private static Band? FromKeyDefault(string key, Context ctx) => key switch
    {
        "U" => Bands.JohnsonU,
        "B" or "b" => Bands.JohnsonB,
        "V" or "v" => Bands.JohnsonV,
        "R" => Bands.CousinsR,
        "I" => Bands.CousinsI,
        _ when key.Equals("j", StringComparison.OrdinalIgnoreCase) => Bands.TwoMassJ,
        _ when key.Equals("h", StringComparison.OrdinalIgnoreCase) => Bands.TwoMassH,
        _ when key.Equals("k", StringComparison.OrdinalIgnoreCase) || key.Equals("ks", StringComparison.OrdinalIgnoreCase) => Bands.TwoMassKs,
        _ when key.Equals("bp", StringComparison.OrdinalIgnoreCase) => Bands.GaiaBp,
        _ when key.Equals("rp", StringComparison.OrdinalIgnoreCase) => Bands.GaiaRp,
        _ when key.Equals("w1", StringComparison.OrdinalIgnoreCase) => Bands.WiseW1,
        _ when key.Equals("w2", StringComparison.OrdinalIgnoreCase) => Bands.WiseW2,
        _ when key.Equals("w3", StringComparison.OrdinalIgnoreCase) => Bands.WiseW3,
        _ when key.Equals("w4", StringComparison.OrdinalIgnoreCase) => Bands.WiseW4,
        _ when key.Equals("fuv", StringComparison.OrdinalIgnoreCase) => Bands.GalexFuv,
        _ when key.Equals("nuv", StringComparison.OrdinalIgnoreCase) => Bands.GalexNuv,
        _ when key.Equals("y", StringComparison.OrdinalIgnoreCase) => Bands.Ps1Y,
        "G" => ctx.Sdss && !ctx.Gaia ? Bands.SdssG : Bands.GaiaG,
        "g" => ctx.Gaia ? Bands.GaiaG : ctx.Ps1 ? Bands.Ps1G : Bands.SdssG,
        "u" => Bands.SdssU,
        "r" => ctx.Ps1 ? Bands.Ps1R : Bands.SdssR,
        "i" => ctx.Ps1 ? Bands.Ps1I : Bands.SdssI,
        "z" or "Z" => ctx.Ps1 ? Bands.Ps1Z : Bands.SdssZ,
        _ => null,
    };

    /// <summary>Factor from a flux-density unit to Jy (any VOUnit F<sub>ν</sub>: Jy, mJy, erg/s/cm2/Hz, W.m**-2.Hz**-1 …; F<sub>λ</sub> at <paramref name="wavelengthMicrons"/>); null when the unit is not one.</summary>
    public static double? JanskyPer(string? unit, double? wavelengthMicrons = null) =>
        VoUnits.Parse(unit).Unit is { } u ? VoUnits.JanskyFactor(u, wavelengthMicrons) : null;

    private static bool IsFluxUnit(string? unit) =>
        VoUnits.Parse(unit).Unit is { } u && (u.IsFluxDensityPerFrequency || u.IsFluxDensityPerWavelength);

    private static bool IsMagUnit(string? unit) => VoUnits.Parse(unit).Unit is { IsMagnitude: true };

    private static bool HasPhotOrOtherUcd(Field f) => Ucds.Words(f.Ucd).Length > 0;

    private static bool ErrorLike(Field f) =>
        Ucds.PrimaryIs(f.Ucd, "stat.error") || Ucds.PrimaryIs(f.Ucd, "stat.error.sys")
        || System.Text.RegularExpressions.Regex.IsMatch(f.Name, @"^(e_|err_|sig_|e[A-Z])|(_err|_error|err|_sig|sigma|_e)$", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    /// <summary>The magnitude system a column's hints or name state, or null.</summary>
    private static MagSystem? SystemHint(Column c)
    {
        if (ColumnHints.Find(c.Field)?.MagSystem is { } m) return m;
        var n = c.Name.ToLowerInvariant();
        if (System.Text.RegularExpressions.Regex.IsMatch(n, @"(^|_)ab(_|$)|abmag|_ab$|mag_?ab")) return MagSystem.AB;
        if (System.Text.RegularExpressions.Regex.IsMatch(n, @"(^|_)vega(_|$)|vegamag")) return MagSystem.Vega;
        return null;
    }

    /// <summary>The photometric columns of <paramref name="table"/>; columns whose band or unit cannot be told are reported as warnings on the table.</summary>
    public static IReadOnlyList<PhotometryColumn> Find(Table table)
    {
        var candidates = new List<(Column Col, PhotometryKind Kind, bool ByUnit)>();
        foreach (var c in table.Columns)
        {
            var f = c.Field;
            if (f.IsString || f.ArraySize is { IsScalar: false } || !(f.DataType.IsInteger() || f.DataType is DataType.Float or DataType.Double)) continue;
            if (Ucds.PrimaryIs(f.Ucd, "phot.mag") || (f.Ucd is null && Repairs.IsMagnitude(f)))
                candidates.Add((c, PhotometryKind.Magnitude, false));
            else if (Ucds.PrimaryIs(f.Ucd, "phot.flux.density") || Ucds.PrimaryIs(f.Ucd, "phot.flux") && IsFluxUnit(f.Unit))
                candidates.Add((c, PhotometryKind.FluxDensity, false));
            // By unit: a column without a UCD that says otherwise whose unit is a magnitude or a flux density, and whose name is not an error's.
            else if (!HasPhotOrOtherUcd(f) && !ErrorLike(f) && BandKey(c.Name) is not null)
            {
                if (IsMagUnit(f.Unit)) candidates.Add((c, PhotometryKind.Magnitude, true));
                else if (IsFluxUnit(f.Unit)) candidates.Add((c, PhotometryKind.FluxDensity, true));
            }
        }
        // Survey context comes from the columns of the same source table: in a clustered table,
        // cat_c's "g" must not become Gaia G because cat_a's bp_mag sits in the same merged table.
        var sourceCol = table.FindColumn("source_table") as StringColumn;
        var sourcesOf = candidates.ToDictionary(x => x.Col, x => SourcesWithValues(x.Col, sourceCol));
        var result = new List<PhotometryColumn>();
        var unknown = new List<string>();
        foreach (var (col, kind, byUnit) in candidates)
        {
            var key = BandKey(col.Name);
            var em = Ucds.EmWord(col.Field.Ucd);
            var mine = sourcesOf[col];
            var related = candidates.Where(x => sourcesOf[x.Col].Overlaps(mine)).ToList();
            // hints: the photometric column names and the source table names (table name when not clustered)
            var hints = related.Select(x => x.Col.Name).Concat(mine).Append(sourceCol is null ? table.Name ?? "" : "");
            var ownFamily = ColumnHints.Find(col.Field)?.Family;
            var ctx = ContextOf(related.Select(x => BandKey(x.Col.Name)).OfType<string>(), hints,
                related.Select(x => ColumnHints.Find(x.Col.Field)?.Family));
            if (ownFamily is not null) ctx = ctx with { Family = ownFamily };
            Band? band = key is null ? null : FromKey(key, ctx);
            var from = "name";
            if (band is null)
            {
                // the UCD's band word, inside the family the column or table names (PHOT_PS1_G on a column called "col7")
                band = ctx.Family is { } fam && em is not null
                    ? Bands.All.Where(b => b.Family == fam && b.EmWord.Equals(em, StringComparison.OrdinalIgnoreCase)).ToList() is [var only] ? only : null
                    : null;
                from = band is not null && ownFamily is not null ? "UCD1" : "UCD";
                band ??= Bands.FromEmWord(em);
                if (band is null && em is not null && em.Equals("em.opt", StringComparison.OrdinalIgnoreCase) && ctx.Gaia) band = Bands.GaiaG;
            }
            else if (em is not null && band.EmWord.Equals(em, StringComparison.OrdinalIgnoreCase)) from = "name+UCD";
            if (byUnit) from += "+unit";
            if (band is null) { unknown.Add(col.Name); continue; }
            var error = FindError(table, col, kind);
            double toJy, errToJy;
            if (kind == PhotometryKind.FluxDensity)
            {
                if (JanskyPer(col.Field.Unit, band.WavelengthMicrons) is not { } f)
                {
                    table.Warnings.Add("sed-flux-unit", $"flux column '{col.Name}' has unit '{col.Field.Unit}', not a flux density (F_nu such as Jy, mJy, erg/s/cm2/Hz, or F_lambda such as erg/s/cm2/Angstrom); left out of the SED");
                    continue;
                }
                toJy = f;
                errToJy = error is not null && JanskyPer(error.Field.Unit, band.WavelengthMicrons) is { } ef ? ef : f;
            }
            else
            {
                toJy = VoUnits.Parse(col.Field.Unit).Unit is { IsMagnitude: true } mu ? mu.Factor : 1;
                errToJy = error is not null && VoUnits.Parse(error.Field.Unit).Unit is { IsMagnitude: true } eu ? eu.Factor : toJy;
            }
            var system = SystemHint(col) ?? band.System;
            var zp = band.ZeroPointIn(system);
            if (double.IsNaN(zp))
            {
                table.Warnings.Add("sed-mag-system", $"'{col.Name}' is said to be in Vega magnitudes, but the band table has no Vega zero point for {band.Name}; read as {band.System}");
                system = band.System;
                zp = band.ZeroPointJy;
            }
            result.Add(new PhotometryColumn(col, error, band, kind, toJy, from)
            {
                System = system,
                ZeroPointJy = zp,
                AbOffset = system == band.System ? band.AbOffset : 0,
                ErrorToJansky = errToJy,
            });
        }
        if (unknown.Count > 0)
            table.Warnings.Add("sed-band-unknown", $"no band could be told from the name or UCD of: {string.Join(", ", unknown)}; left out of the SED");
        return result;
    }

    /// <summary>The source tables whose rows have a value in <paramref name="c"/> (one pseudo-source without a source_table column).</summary>
    private static HashSet<string> SourcesWithValues(Column c, StringColumn? source)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (source is null) { set.Add(""); return set; }
        for (var i = 0; i < c.Count; i++)
            if (!c.IsNull(i) && !double.IsNaN(c.GetDouble(i))) set.Add(source[i] ?? "");
        return set;
    }

    /// <summary>The error of a photometric column: by name (e_X, X_err, err_X, X_error, eX), else by UCD band word, else the next column if it is a bare stat.error.</summary>
    private static Column? FindError(Table t, Column value, PhotometryKind kind)
    {
        var primary = kind == PhotometryKind.Magnitude ? "phot.mag" : "phot.flux.density";
        bool IsError(Column c) => !c.Field.IsString && c != value &&
            (Ucds.PrimaryIs(c.Field.Ucd, "stat.error") && (Ucds.HasWord(c.Field.Ucd, primary) || Ucds.Words(c.Field.Ucd).Length == 1)
             || c.Field.Ucd is null && kind == PhotometryKind.Magnitude && Repairs.IsMagnitudeError(c.Field));
        var n = value.Name;
        string[] names = [$"e_{n}", $"{n}_err", $"err_{n}", $"{n}_error", $"e{n}", $"{n}err", $"sig_{n}", $"{n}_sigma", $"{n}_e"];
        foreach (var name in names)
            if (t.Columns.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } c && IsError(c)) return c;
        var em = Ucds.EmWord(value.Field.Ucd);
        if (em is not null)
        {
            var same = t.Columns.Where(c => IsError(c) && string.Equals(Ucds.EmWord(c.Field.Ucd), em, StringComparison.OrdinalIgnoreCase)).ToList();
            if (same.Count == 1) return same[0];
        }
        var idx = t.IndexOf(value.Name);
        if (idx >= 0 && idx + 1 < t.ColumnCount && t.Columns[idx + 1] is var next && IsError(next) && Ucds.EmWord(next.Field.Ucd) is null
            && !Ucds.PrimaryIs(next.Field.Ucd, "phot.mag"))
            return next;
        return null;
    }
}
