using VoScript.Engine.Interop;
using VoScript.Engine.Tables;

namespace VoScript.Engine.Photometry;

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
/// <param name="ToJansky">For flux densities: factor from the column's unit to Jy (mJy: 0.001); 1 for magnitudes.</param>
/// <param name="BandFrom">How the band was found: "name", "UCD" or "name+UCD".</param>
internal sealed record PhotometryColumn(Column Value, Column? Error, Band Band, PhotometryKind Kind, double ToJansky, string BandFrom);

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

    /// <summary>Survey hints from all photometric column names of a table.</summary>
    private sealed record Context(bool Gaia, bool Ps1, bool Sdss);

    private static Context ContextOf(IEnumerable<string> keys, IEnumerable<string> hints)
    {
        var k = keys.ToList();
        var h = string.Join(" ", hints).ToLowerInvariant();
        var gaia = k.Any(x => x.Equals("bp", StringComparison.OrdinalIgnoreCase) || x.Equals("rp", StringComparison.OrdinalIgnoreCase))
                   || h.Contains("gaia", StringComparison.Ordinal) || h.Contains("phot_g_mean", StringComparison.Ordinal);
        var ps1 = k.Any(x => x.Equals("y", StringComparison.OrdinalIgnoreCase)) && !k.Contains("u")
                  || h.Contains("ps1", StringComparison.Ordinal) || h.Contains("panstarrs", StringComparison.Ordinal) || h.Contains("pan-starrs", StringComparison.Ordinal);
        var sdss = k.Where(x => x is "u" or "g" or "r" or "i" or "z").Distinct().Count() >= 3 || h.Contains("sdss", StringComparison.Ordinal);
        return new Context(gaia, ps1, sdss);
    }

    /// <summary>The band of a key in a table context; null when the key names no band.</summary>
    private static Band? FromKey(string key, Context ctx) => key switch
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

    /// <summary>Factor from a flux-density unit to Jy; null when the unit is not a flux density we know.</summary>
    public static double? JanskyPer(string? unit) => unit?.Trim() switch
    {
        "Jy" => 1,
        "mJy" => 1e-3,
        "uJy" or "µJy" or "microJy" => 1e-6,
        "nJy" => 1e-9,
        "erg/s/cm2/Hz" or "erg.s**-1.cm**-2.Hz**-1" or "erg/(s.cm2.Hz)" or "erg.s-1.cm-2.Hz-1" => 1e23,
        "W/m2/Hz" or "W.m**-2.Hz**-1" or "W.m-2.Hz-1" => 1e26,
        _ => null,
    };

    /// <summary>The photometric columns of <paramref name="table"/>; columns whose band or unit cannot be told are reported as warnings on the table.</summary>
    public static IReadOnlyList<PhotometryColumn> Find(Table table)
    {
        var candidates = new List<(Column Col, PhotometryKind Kind)>();
        foreach (var c in table.Columns)
        {
            if (c.Field.IsString || c.Field.ArraySize is { IsScalar: false }) continue;
            if (Ucds.PrimaryIs(c.Field.Ucd, "phot.mag") || (c.Field.Ucd is null && Repairs.IsMagnitude(c.Field)))
                candidates.Add((c, PhotometryKind.Magnitude));
            else if (Ucds.PrimaryIs(c.Field.Ucd, "phot.flux.density"))
                candidates.Add((c, PhotometryKind.FluxDensity));
        }
        // Survey context comes from the columns of the same source table: in a clustered table,
        // cat_c's "g" must not become Gaia G because cat_a's bp_mag sits in the same merged table.
        var sourceCol = table.FindColumn("source_table") as StringColumn;
        var sourcesOf = candidates.ToDictionary(x => x.Col, x => SourcesWithValues(x.Col, sourceCol));
        var result = new List<PhotometryColumn>();
        var unknown = new List<string>();
        foreach (var (col, kind) in candidates)
        {
            var key = BandKey(col.Name);
            var em = Ucds.EmWord(col.Field.Ucd);
            var mine = sourcesOf[col];
            var related = candidates.Where(x => sourcesOf[x.Col].Overlaps(mine)).ToList();
            // hints: the photometric column names and the source table names (table name when not clustered)
            var hints = related.Select(x => x.Col.Name).Concat(mine).Append(sourceCol is null ? table.Name ?? "" : "");
            var ctx = ContextOf(related.Select(x => BandKey(x.Col.Name)).OfType<string>(), hints);
            Band? band = key is null ? null : FromKey(key, ctx);
            var from = "name";
            if (band is null)
            {
                band = Bands.FromEmWord(em);
                if (band is null && em is not null && em.Equals("em.opt", StringComparison.OrdinalIgnoreCase) && ctx.Gaia) band = Bands.GaiaG;
                from = "UCD";
            }
            else if (em is not null && band.EmWord.Equals(em, StringComparison.OrdinalIgnoreCase)) from = "name+UCD";
            if (band is null) { unknown.Add(col.Name); continue; }
            var toJy = 1.0;
            if (kind == PhotometryKind.FluxDensity)
            {
                if (JanskyPer(col.Field.Unit) is not { } f)
                {
                    table.Warnings.Add("sed-flux-unit", $"flux column '{col.Name}' has unit '{col.Field.Unit}', not a flux density unit known here (Jy, mJy, uJy, erg/s/cm2/Hz, W/m2/Hz); left out of the SED");
                    continue;
                }
                toJy = f;
            }
            result.Add(new PhotometryColumn(col, FindError(table, col, kind), band, kind, toJy, from));
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
