using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace VoScript.Engine.Model.Units;

/// <summary>Magnitude system a unit annotation names (<c>mag(AB)</c>, <c>ABmag</c>, <c>vegamag</c>).</summary>
internal enum MagSystemHint { None, AB, Vega }

/// <summary>
/// The result of parsing a unit string: the unit (null when it could not be parsed or when there is
/// no unit), its VOUnits 1.0 spelling, the non-standard spellings that were accepted, and why parsing failed.
/// </summary>
/// <param name="Input">The text as given (null: no unit attribute).</param>
/// <param name="Unit">The parsed unit, or null (no unit, or not parsed: see <see cref="Error"/>).</param>
/// <param name="Canonical">The unit in VOUnits spelling (<c>erg.s**-1.cm**-2.Angstrom**-1</c>), or null.</param>
/// <param name="Notes">Non-standard spellings accepted, e.g. <c>'degrees' read as deg</c>; empty for a valid VOUnit.</param>
/// <param name="MagSystem">AB or Vega when the unit text says so (<c>mag(AB)</c>).</param>
/// <param name="Error">Why the text is not a unit (with the offending part), or null.</param>
internal sealed record UnitParse(string? Input, VoUnit? Unit, string? Canonical, IReadOnlyList<string> Notes, MagSystemHint MagSystem, string? Error)
{
    /// <summary>True when there was no unit text at all (null or blank).</summary>
    public bool IsEmpty => string.IsNullOrWhiteSpace(Input);

    /// <summary>True when the text parsed (possibly through non-standard spellings).</summary>
    public bool Ok => Unit is not null;

    /// <summary>True when the text is a valid VOUnit as written (parsed, no non-standard spelling).</summary>
    public bool IsStandard => Ok && Notes.Count == 0;
}

/// <summary>
/// IVOA VOUnits 1.0 units: parsing (prefixes, powers <c>**</c>/<c>^</c>/CDS-style <c>cm-2</c>, products
/// <c>.</c>/<c>*</c>/blank, division <c>/</c>, parentheses, <c>log()</c>/<c>ln()</c>/<c>exp()</c>/<c>sqrt()</c>,
/// <c>[…]</c> and <c>dex</c> as log10, a leading scale factor such as <c>1e-17</c> or CDS <c>10-26</c>), the
/// non-standard spellings services send (<c>mags</c>, <c>mag(AB)</c>, <c>degrees</c>, <c>arcsecs</c>,
/// <c>Jansky</c>, <c>erg/s/cm2/A</c> with A as Ångström …), and conversion between compatible units.
/// This is the engine's one unit model: photometry, positions, lint and the expression language use it.
/// </summary>
internal static partial class VoUnits
{
    /// <summary>Speed of light in m/s (for F<sub>λ</sub> ↔ F<sub>ν</sub>).</summary>
    public const double SpeedOfLight = 299_792_458.0;

    private sealed record Known(VoUnit Unit, bool Prefixable);

    private static readonly Dictionary<string, Known> Symbols = BuildSymbols();

    private static readonly (string Symbol, double Factor)[] Prefixes =
    [
        ("da", 1e1), ("Ki", 1024), ("Mi", 1024d * 1024), ("Gi", Math.Pow(1024, 3)), ("Ti", Math.Pow(1024, 4)),
        ("q", 1e-30), ("r", 1e-27), ("y", 1e-24), ("z", 1e-21), ("a", 1e-18), ("f", 1e-15), ("p", 1e-12), ("n", 1e-9), ("u", 1e-6), ("m", 1e-3),
        ("c", 1e-2), ("d", 1e-1), ("h", 1e2), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18), ("Z", 1e21),
        ("Y", 1e24), ("R", 1e27), ("Q", 1e30),
    ];

    private static Dictionary<string, Known> BuildSymbols()
    {
        VoUnit B(Dimension d, double f = 1) => VoUnit.Base(d, f);
        var m = B(Dimension.Length); var kg = B(Dimension.Mass); var s = B(Dimension.Time);
        var rad = B(Dimension.Angle);
        var J = kg.Times(m.Pow(2)).Times(s.Pow(-2));
        var W = J.Times(s.Pow(-1));
        var deg = B(Dimension.Angle, Math.PI / 180);
        var d = new Dictionary<string, Known>(StringComparer.Ordinal)
        {
            // SI base and derived (prefixable)
            ["m"] = new(m, true), ["g"] = new(B(Dimension.Mass, 1e-3), true), ["s"] = new(s, true),
            ["A"] = new(B(Dimension.Current), true), ["K"] = new(B(Dimension.Temperature), true),
            ["mol"] = new(B(Dimension.Amount), true), ["cd"] = new(B(Dimension.Luminous), true),
            ["rad"] = new(rad, true), ["sr"] = new(rad.Pow(2), true),
            ["Hz"] = new(s.Pow(-1), true), ["N"] = new(kg.Times(m).Times(s.Pow(-2)), true),
            ["Pa"] = new(kg.Times(m.Pow(-1)).Times(s.Pow(-2)), true), ["J"] = new(J, true), ["W"] = new(W, true),
            ["C"] = new(B(Dimension.Current).Times(s), true),
            ["V"] = new(W.Times(B(Dimension.Current).Pow(-1)), true),
            ["Ohm"] = new(W.Times(B(Dimension.Current).Pow(-2)), true),
            ["S"] = new(W.Times(B(Dimension.Current).Pow(-2)).Pow(-1), true),
            ["T"] = new(kg.Times(s.Pow(-2)).Times(B(Dimension.Current).Pow(-1)), true),
            ["Wb"] = new(kg.Times(m.Pow(2)).Times(s.Pow(-2)).Times(B(Dimension.Current).Pow(-1)), true),
            ["G"] = new(kg.Times(s.Pow(-2)).Times(B(Dimension.Current).Pow(-1)).Scaled(1e-4), true),
            ["eV"] = new(J.Scaled(1.602176634e-19), true), ["erg"] = new(J.Scaled(1e-7), true),
            ["Jy"] = new(kg.Times(s.Pow(-2)).Scaled(1e-26), true),
            ["R"] = new(m.Pow(-2).Times(s.Pow(-1)).Times(rad.Pow(-2)).Scaled(1e10 / (4 * Math.PI)).Times(B(Dimension.Photon)), true),
            ["barn"] = new(m.Pow(2).Scaled(1e-28), true), ["pc"] = new(m.Scaled(3.0856775814913673e16), true),
            ["a"] = new(s.Scaled(365.25 * 86400), true), ["yr"] = new(s.Scaled(365.25 * 86400), true),
            ["mag"] = new(B(Dimension.Magnitude), true),
            ["arcsec"] = new(deg.Scaled(1.0 / 3600), true),
            ["ct"] = new(B(Dimension.Count), true), ["count"] = new(B(Dimension.Count), true),
            ["ph"] = new(B(Dimension.Photon), true), ["photon"] = new(B(Dimension.Photon), true),
            ["adu"] = new(B(Dimension.Adu), true), ["beam"] = new(B(Dimension.Beam), true), ["chan"] = new(B(Dimension.Channel), true),
            ["pix"] = new(B(Dimension.Pixel), true), ["pixel"] = new(B(Dimension.Pixel), true),
            ["voxel"] = new(B(Dimension.Voxel), true), ["bin"] = new(B(Dimension.Bin), true),
            ["bit"] = new(B(Dimension.Bit), true), ["byte"] = new(B(Dimension.Bit, 8), true), ["B"] = new(B(Dimension.Bit, 8), true),
            ["lm"] = new(B(Dimension.Luminous).Times(rad.Pow(2)), true), ["lx"] = new(B(Dimension.Luminous).Times(rad.Pow(2)).Times(m.Pow(-2)), true),
            ["l"] = new(m.Pow(3).Scaled(1e-3), true), ["L"] = new(m.Pow(3).Scaled(1e-3), true),
            ["u"] = new(kg.Scaled(1.66053906660e-27), true), ["D"] = new(B(Dimension.Current).Times(s).Times(m).Scaled(3.33564e-30), true),
            ["Ry"] = new(J.Scaled(2.1798723611035e-18), true), ["lyr"] = new(m.Scaled(9.4607304725808e15), true),
            // not prefixable
            ["deg"] = new(deg, false), ["arcmin"] = new(deg.Scaled(1.0 / 60), false), ["mas"] = new(deg.Scaled(1.0 / 3_600_000), false),
            ["min"] = new(s.Scaled(60), false), ["h"] = new(s.Scaled(3600), false), ["d"] = new(s.Scaled(86400), false),
            ["AU"] = new(m.Scaled(1.495978707e11), false), ["au"] = new(m.Scaled(1.495978707e11), false),
            ["Angstrom"] = new(m.Scaled(1e-10), false), ["angstrom"] = new(m.Scaled(1e-10), false),
            ["solMass"] = new(kg.Scaled(1.98847e30), false), ["solLum"] = new(W.Scaled(3.828e26), false), ["solRad"] = new(m.Scaled(6.957e8), false),
            ["jupiterMass"] = new(kg.Scaled(1.89813e27), false), ["earthMass"] = new(kg.Scaled(5.9722e24), false),
            ["jupiterRad"] = new(m.Scaled(7.1492e7), false), ["earthRad"] = new(m.Scaled(6.3781e6), false),
            ["%"] = new(VoUnit.One.Scaled(0.01), false),
        };
        return d;
    }

    // Non-standard spellings that services send, matched case-insensitively on one symbol.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mags"] = "mag", ["magnitude"] = "mag", ["magnitudes"] = "mag", ["magn"] = "mag", ["mag."] = "mag",
        ["degree"] = "deg", ["degrees"] = "deg", ["degr"] = "deg", ["deg."] = "deg", ["dgr"] = "deg", ["°"] = "deg", ["decimal degrees"] = "deg",
        ["arcsecs"] = "arcsec", ["arcsecond"] = "arcsec", ["arcseconds"] = "arcsec", ["asec"] = "arcsec", ["arcsec."] = "arcsec", ["\""] = "arcsec", ["″"] = "arcsec",
        ["arcmins"] = "arcmin", ["arcminute"] = "arcmin", ["arcminutes"] = "arcmin", ["amin"] = "arcmin", ["'"] = "arcmin", ["′"] = "arcmin",
        ["radian"] = "rad", ["radians"] = "rad", ["steradian"] = "sr", ["steradians"] = "sr",
        ["milliarcsec"] = "mas", ["milliarcsecond"] = "mas", ["milliarcseconds"] = "mas",
        ["uas"] = "uarcsec", ["microarcsec"] = "uarcsec",
        ["jansky"] = "Jy", ["janskys"] = "Jy", ["jy"] = "Jy", ["millijansky"] = "mJy", ["microjansky"] = "uJy", ["microjy"] = "uJy", ["millijy"] = "mJy",
        ["angstroms"] = "Angstrom", ["AA"] = "Angstrom", ["Å"] = "Angstrom", ["Ang"] = "Angstrom",
        ["micron"] = "um", ["microns"] = "um", ["micrometer"] = "um", ["micrometre"] = "um",
        ["sec"] = "s", ["secs"] = "s", ["second"] = "s", ["seconds"] = "s",
        ["hr"] = "h", ["hrs"] = "h", ["hour"] = "h", ["hours"] = "h", ["hourangle"] = "h",
        ["day"] = "d", ["days"] = "d", ["year"] = "yr", ["years"] = "yr", ["yrs"] = "yr",
        ["counts"] = "ct", ["cts"] = "ct", ["photons"] = "ph", ["pixels"] = "pix", ["pixel"] = "pix",
        ["msun"] = "solMass", ["msol"] = "solMass", ["lsun"] = "solLum", ["lsol"] = "solLum", ["rsun"] = "solRad", ["rsol"] = "solRad",
        ["ergs"] = "erg", ["percent"] = "%",
    };

    /// <summary>Texts that mean "dimensionless" (CDS <c>---</c>, FITS blank).</summary>
    private static readonly HashSet<string> Dimensionless = new(StringComparer.OrdinalIgnoreCase) { "1", "-", "--", "---", "none", "unitless", "dimensionless", "n/a" };

    /// <summary>Parses a unit string; never throws. Null or blank text gives an empty result (no unit).</summary>
    public static UnitParse Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return new UnitParse(text, null, null, [], MagSystemHint.None, null);
        var notes = new List<string>();
        var t = text.Trim();
        if (t.Length >= 2 && t[0] == '\'' && t[^1] == '\'')
            return new UnitParse(text, null, null, notes, MagSystemHint.None, $"'{t[1..^1]}' is a quoted unit, which VOUnits defines as not machine-readable");
        if (Dimensionless.Contains(t))
        {
            if (t != "1") notes.Add($"'{t}' read as 1 (dimensionless)");
            return new UnitParse(text, VoUnit.One, "", notes, MagSystemHint.None, null);
        }
        var system = MagSystemHint.None;
        var m = MagAnnotation().Match(t);
        if (m.Success)
        {
            system = m.Groups["sys"].Value.Equals("ab", StringComparison.OrdinalIgnoreCase) ? MagSystemHint.AB : MagSystemHint.Vega;
            notes.Add($"'{t}' read as mag ({system} system)");
            var prefix = m.Groups["pre"].Value;
            return new UnitParse(text, Symbols["mag"].Unit.Scaled(prefix == "m" ? 1e-3 : 1), prefix + "mag", notes, system, null);
        }
        try
        {
            var p = new Parser(t, notes);
            var (unit, canonical) = p.ParseAll();
            return new UnitParse(text, unit, canonical, notes, system, null);
        }
        catch (FormatException e)
        {
            return new UnitParse(text, null, null, notes, system, e.Message);
        }
    }

    /// <summary>The factor that converts values in <paramref name="from"/> to <paramref name="to"/> (both linear, same dimensions).</summary>
    public static bool TryFactor(VoUnit from, VoUnit to, out double factor)
    {
        factor = double.NaN;
        if (!from.SameDimensions(to)) return false;
        factor = from.Factor / to.Factor;
        return true;
    }

    /// <summary>Converts <paramref name="value"/> between two unit strings; false when either does not parse or they are not compatible.</summary>
    public static bool TryConvert(double value, string? from, string? to, out double result)
    {
        result = double.NaN;
        var f = Parse(from).Unit;
        var t = Parse(to).Unit;
        if (f is null || t is null) return false;
        if (f.Function == UnitFunction.Log10 && t.Function == UnitFunction.Log10 && f.Argument is { } fa && t.Argument is { } ta && TryFactor(fa, ta, out var lf))
        {
            result = value + Math.Log10(lf);
            return true;
        }
        if (!TryFactor(f, t, out var k)) return false;
        result = value * k;
        return true;
    }

    private static readonly VoUnit Jansky = Symbols["Jy"].Unit;
    private static readonly VoUnit Degree = Symbols["deg"].Unit;

    /// <summary>
    /// The factor from <paramref name="unit"/> to Jy for a flux density per frequency; for a flux density per
    /// wavelength (erg s⁻¹ cm⁻² Å⁻¹) the factor at <paramref name="wavelengthMicrons"/> (F<sub>ν</sub> = F<sub>λ</sub>·λ²/c).
    /// Null when the unit is neither, or when F<sub>λ</sub> is given without a wavelength.
    /// </summary>
    public static double? JanskyFactor(VoUnit unit, double? wavelengthMicrons = null)
    {
        if (unit.IsFluxDensityPerFrequency) return unit.Factor / Jansky.Factor;
        if (unit.IsFluxDensityPerWavelength && wavelengthMicrons is > 0)
        {
            var lambda = wavelengthMicrons.Value * 1e-6;
            return unit.Factor * lambda * lambda / SpeedOfLight / Jansky.Factor;
        }
        return null;
    }

    /// <summary>Degrees per one <paramref name="unit"/> when it is an angle; for <paramref name="timeIsHourAngle"/> (RA) also hours, minutes and seconds of time (1 h = 15°).</summary>
    public static double? DegreesPer(VoUnit unit, bool timeIsHourAngle = false)
    {
        if (unit.IsAngle) return unit.Factor / Degree.Factor;
        if (timeIsHourAngle && unit.IsTime) return unit.Factor / 3600 * 15;
        return null;
    }

    [GeneratedRegex(@"^(?<pre>m?)(mag|mags|magnitudes?)\s*[\(\[_ ]?\s*(?<sys>AB|Vega)\s*[\)\]]?$|^(?<sys>AB|Vega)\s*[_ ]?(?<pre>m?)mags?$", RegexOptions.IgnoreCase)]
    private static partial Regex MagAnnotation();

    /// <summary>A small recursive-descent parser over the unit text (lenient: VOUnits, CDS and OGIP habits).</summary>
    private sealed class Parser(string text, List<string> notes)
    {
        private int _pos;
        private readonly bool _fluxContext = Regex.IsMatch(text, @"erg|W|Jy", RegexOptions.CultureInvariant);

        public (VoUnit Unit, string Canonical) ParseAll()
        {
            var scale = ParseScaleFactor(out var scaleText);
            SkipBlanks();
            VoUnit unit;
            string canonical;
            if (_pos >= text.Length)
            {
                if (scaleText is null) throw Error("empty unit");
                unit = VoUnit.One; canonical = "";
            }
            else
            {
                (unit, canonical) = ParseProduct();
                SkipBlanks();
                if (_pos < text.Length) throw Error($"unexpected '{text[_pos..]}'");
            }
            if (scaleText is not null)
            {
                unit = unit.Scaled(scale);
                canonical = scaleText + canonical;
            }
            return (unit, canonical);
        }

        private FormatException Error(string what) => new($"'{text}' is not a VOUnit: {what}" + (_pos < text.Length && _pos > 0 ? $" at character {_pos + 1}" : ""));

        private void SkipBlanks() { while (_pos < text.Length && text[_pos] == ' ') _pos++; }

        /// <summary>A leading numeric factor: <c>1e-17</c>, <c>1.5E27</c>, <c>10**-7</c>, CDS <c>10-26</c>/<c>10+3</c>.</summary>
        private double ParseScaleFactor(out string? canonical)
        {
            canonical = null;
            var mm = Regex.Match(text, @"^(10\*\*([+-]?\d+)|10\^([+-]?\d+)|10([+-]\d+)|(\d+(\.\d*)?([eE][+-]?\d+)?))(?=[\s.*/]|[A-Za-zµμ(\[%]|$)", RegexOptions.CultureInvariant);
            if (!mm.Success) return 1;
            double f;
            if (mm.Groups[2].Success || mm.Groups[3].Success || mm.Groups[4].Success)
            {
                var exp = int.Parse(mm.Groups[2].Success ? mm.Groups[2].Value : mm.Groups[3].Success ? mm.Groups[3].Value : mm.Groups[4].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                f = Math.Pow(10, exp);
                if (mm.Groups[4].Success) notes.Add($"CDS scale factor '{mm.Value}' read as 1e{exp}");
            }
            else f = double.Parse(mm.Value, NumberStyles.Float, CultureInfo.InvariantCulture);
            _pos = mm.Length;
            if (_pos < text.Length && (text[_pos] == '.' || text[_pos] == '*') && !(text.Length > _pos + 1 && text[_pos + 1] == '*')) _pos++;
            if (f == 1 && !mm.Groups[4].Success && _pos < text.Length) return 1; // "1" before a unit changes nothing
            canonical = f.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
            return f;
        }

        private (VoUnit, string) ParseProduct()
        {
            SkipBlanks();
            var (unit, canon) = _pos < text.Length && text[_pos] == '/' ? (VoUnit.One, "") : ParseFactor(false);
            var parts = new StringBuilder(canon);
            while (true)
            {
                SkipBlanks();
                if (_pos >= text.Length || text[_pos] == ')' || text[_pos] == ']') break;
                var c = text[_pos];
                var divide = false;
                if (c == '/') { divide = true; _pos++; }
                else if (c == '.' || (c == '*' && !(_pos + 1 < text.Length && text[_pos + 1] == '*'))) _pos++;
                else if (text[_pos - 1] != ' ') throw Error($"unexpected '{c}'");
                SkipBlanks();
                var (u, cs) = ParseFactor(divide);
                unit = divide ? unit.Times(u.Pow(-1)) : unit.Times(u);
                if (cs.Length > 0)
                {
                    if (parts.Length > 0) parts.Append('.');
                    parts.Append(divide ? Invert(cs) : cs);
                }
            }
            return (unit, parts.ToString());
        }

        private static string Invert(string canon)
        {
            // canonical factor "cm**2" → "cm**-2"; a group "(a.b)" → "(a.b)**-1"
            var m = Regex.Match(canon, @"^([A-Za-z%]+)(\*\*(-?\d+(\.\d+)?))?$");
            if (!m.Success) return canon.StartsWith('(') && canon.EndsWith(')') ? canon + "**-1" : $"({canon})**-1";
            var p = m.Groups[3].Success ? -double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : -1;
            return m.Groups[1].Value + "**" + p.ToString(CultureInfo.InvariantCulture);
        }

        private (VoUnit, string) ParseFactor(bool inDenominator)
        {
            SkipBlanks();
            if (_pos >= text.Length) throw Error("a unit is missing at the end");
            VoUnit unit; string canon;
            if (text[_pos] == '(')
            {
                _pos++;
                (unit, canon) = ParseProduct();
                Expect(')');
                canon = "(" + canon + ")";
            }
            else if (text[_pos] == '[')
            {
                _pos++;
                SkipBlanks();
                if (_pos < text.Length && text[_pos] == '-' && _pos + 1 < text.Length && text[_pos + 1] == ']') { _pos += 2; notes.Add("'[-]' read as dex"); return (new VoUnit(1, VoUnit.One.Powers, UnitFunction.Log10, VoUnit.One), "dex"); }
                var (inner, ic) = ParseProduct();
                Expect(']');
                notes.Add($"'[{ic}]' read as log({ic})");
                return (new VoUnit(1, VoUnit.One.Powers, UnitFunction.Log10, inner), $"log({ic})");
            }
            else
            {
                var start = _pos;
                while (_pos < text.Length && (char.IsLetter(text[_pos]) || text[_pos] is '%' or '°' or '\'' or '"' or '′' or '″' or 'µ' or 'μ' or 'Å')) _pos++;
                if (_pos == start) throw Error($"unexpected '{text[_pos]}'");
                var symbol = text[start.._pos];
                if (_pos < text.Length && text[_pos] == '(' && symbol is "log" or "ln" or "exp" or "sqrt")
                {
                    _pos++;
                    var (inner, ic) = ParseProduct();
                    Expect(')');
                    var fn = symbol switch { "log" => UnitFunction.Log10, "ln" => UnitFunction.Ln, "exp" => UnitFunction.Exp, _ => UnitFunction.Sqrt };
                    if (fn == UnitFunction.Sqrt) return (inner.Pow(0.5), $"sqrt({ic})");
                    return (new VoUnit(1, VoUnit.One.Powers, fn, inner), $"{symbol}({ic})");
                }
                // a trailing '.' that belongs to an abbreviation ("deg.", "arcsec.")
                if (_pos < text.Length && text[_pos] == '.' && (_pos + 1 == text.Length || text[_pos + 1] == ' ') && Aliases.ContainsKey(symbol + "."))
                { symbol += "."; _pos++; }
                (unit, canon) = Resolve(symbol, inDenominator);
            }
            var power = ParsePower();
            if (power is { } p)
            {
                unit = unit.Pow(p);
                if (unit.IsLinear is false) throw Error("a power of a function");
                canon += "**" + p.ToString(CultureInfo.InvariantCulture);
            }
            return (unit, canon);
        }

        private void Expect(char c)
        {
            SkipBlanks();
            if (_pos >= text.Length || text[_pos] != c) throw Error($"'{c}' expected");
            _pos++;
        }

        /// <summary><c>**2</c>, <c>**-1</c>, <c>**(1/2)</c>, <c>^2</c>, CDS <c>2</c>/<c>-2</c>/<c>+3</c> right after the symbol.</summary>
        private double? ParsePower()
        {
            if (_pos >= text.Length) return null;
            var rest = text[_pos..];
            var m = Regex.Match(rest, @"^(\*\*|\^)\s*(\(\s*([+-]?\d+(\.\d+)?)\s*(/\s*(\d+))?\s*\)|[+-]?\d+(\.\d+)?)", RegexOptions.CultureInvariant);
            if (m.Success)
            {
                _pos += m.Length;
                if (m.Groups[3].Success)
                {
                    var num = double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
                    return m.Groups[6].Success ? num / double.Parse(m.Groups[6].Value, CultureInfo.InvariantCulture) : num;
                }
                if (m.Groups[1].Value == "^") notes.Add($"power '{m.Value}' written with ^ (VOUnits: **)");
                return double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            }
            var cds = Regex.Match(rest, @"^[+-]?\d+(?![\d.]*[eE])", RegexOptions.CultureInvariant);
            if (cds.Success)
            {
                _pos += cds.Length;
                notes.Add($"power '{cds.Value}' written without ** (CDS style)");
                return double.Parse(cds.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            }
            return null;
        }

        private (VoUnit, string) Resolve(string symbol, bool inDenominator)
        {
            if (symbol == "A" && _fluxContext && inDenominator)
            {
                notes.Add("'A' in a flux density read as Angstrom (in VOUnits A is the ampere)");
                return (Symbols["Angstrom"].Unit, "Angstrom");
            }
            if (Symbols.TryGetValue(symbol, out var k)) return (k.Unit, symbol);
            if (Aliases.TryGetValue(symbol, out var alias) && !Symbols.ContainsKey(symbol))
            {
                var (u, c) = Resolve(alias, inDenominator);
                if (!string.Equals(alias, symbol, StringComparison.Ordinal)) notes.Add($"'{symbol}' read as {alias}");
                return (u, c);
            }
            var s = symbol.Replace('µ', 'u').Replace('μ', 'u');
            if (s != symbol)
            {
                notes.Add($"'{symbol}' read as {s}");
                return Resolve(s, inDenominator);
            }
            foreach (var (p, f) in Prefixes)
            {
                if (!symbol.StartsWith(p, StringComparison.Ordinal) || symbol.Length == p.Length) continue;
                var rest = symbol[p.Length..];
                if (Symbols.TryGetValue(rest, out var b) && b.Prefixable)
                {
                    if ((p is "Ki" or "Mi" or "Gi" or "Ti") && rest is not ("bit" or "byte" or "B")) continue;
                    return (b.Unit.Scaled(f), symbol);
                }
                if (Aliases.TryGetValue(rest, out var ra) && Symbols.TryGetValue(ra, out var rb) && rb.Prefixable)
                {
                    notes.Add($"'{symbol}' read as {p}{ra}");
                    return (rb.Unit.Scaled(f), p + ra);
                }
            }
            // case-insensitive last resort for whole symbols (JY, DEG, Mag)
            foreach (var (name, known) in Symbols)
                if (name.Length > 1 && name.Equals(symbol, StringComparison.OrdinalIgnoreCase))
                {
                    notes.Add($"'{symbol}' read as {name} (VOUnits are case-sensitive)");
                    return (known.Unit, name);
                }
            throw Error($"unknown unit '{symbol}'");
        }
    }
}
