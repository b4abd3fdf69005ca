using System.Globalization;
using System.Text;

namespace VoScript.Engine.Model.Units;

/// <summary>The base dimensions a <see cref="VoUnit"/> is made of (SI base units plus the countable and angular ones VOUnits keeps apart).</summary>
internal enum Dimension
{
    Length, Mass, Time, Current, Temperature, Amount, Luminous,
    /// <summary>Plane angle (rad, deg, arcsec …); kept apart from dimensionless so angles convert only to angles.</summary>
    Angle,
    /// <summary>The astronomical magnitude (mag, mmag): logarithmic, converts only to itself.</summary>
    Magnitude,
    /// <summary>Counts: ct, ph (photon), adu, beam, chan, pix, voxel, bin, bit, byte — each countable thing is its own dimension.</summary>
    Count, Photon, Adu, Beam, Channel, Pixel, Voxel, Bin, Bit,
}

/// <summary>A function wrapped around a unit: <c>log(…)</c>/<c>[…]</c>/<c>dex</c> (base 10), <c>ln(…)</c>, <c>exp(…)</c>, <c>sqrt(…)</c>.</summary>
internal enum UnitFunction { None, Log10, Ln, Exp, Sqrt }

/// <summary>
/// A parsed unit: a scale factor to the coherent SI-style base, a power for each base
/// <see cref="Dimension"/>, and an optional function (VOUnits 1.0 §2.9). Two linear units with the
/// same powers convert by the ratio of their factors. Values only; parse with <see cref="VoUnits.Parse"/>.
/// </summary>
internal sealed class VoUnit : IEquatable<VoUnit>
{
    private static readonly int DimCount = Enum.GetValues<Dimension>().Length;
    private readonly int[] _powers;

    internal VoUnit(double factor, int[] powers, UnitFunction function = UnitFunction.None, VoUnit? argument = null)
    {
        Factor = factor;
        _powers = powers;
        Function = function;
        Argument = argument;
    }

    /// <summary>The dimensionless unit 1.</summary>
    public static VoUnit One { get; } = new(1, new int[DimCount]);

    /// <summary>A base unit of one dimension with a factor.</summary>
    internal static VoUnit Base(Dimension d, double factor = 1)
    {
        var p = new int[DimCount];
        p[(int)d] = 1;
        return new VoUnit(factor, p);
    }

    /// <summary>Scale to the base units (e.g. 1e-26 for Jy = 1e-26 kg s⁻²; π/180 for deg).</summary>
    public double Factor { get; }

    /// <summary>The function around <see cref="Argument"/>, or None for a plain (linear) unit.</summary>
    public UnitFunction Function { get; }

    /// <summary>The unit inside the function (<c>log(cm.s**-2)</c> → cm.s**-2), or null.</summary>
    public VoUnit? Argument { get; }

    /// <summary>The power of <paramref name="d"/> in this unit.</summary>
    public int Power(Dimension d) => _powers[(int)d];

    /// <summary>True when the unit is linear (no function).</summary>
    public bool IsLinear => Function == UnitFunction.None;

    /// <summary>True for a dimensionless linear unit (1, %, a pure scale).</summary>
    public bool IsDimensionless => IsLinear && _powers.All(p => p == 0);

    /// <summary>True when both are linear and have the same powers: values convert by a factor.</summary>
    public bool SameDimensions(VoUnit other) =>
        IsLinear && other.IsLinear && _powers.AsSpan().SequenceEqual(other._powers);

    internal int[] Powers => _powers;

    public VoUnit Times(VoUnit o)
    {
        var p = new int[DimCount];
        for (var i = 0; i < DimCount; i++) p[i] = _powers[i] + o._powers[i];
        return new VoUnit(Factor * o.Factor, p);
    }

    public VoUnit Pow(double n)
    {
        var p = new int[DimCount];
        for (var i = 0; i < DimCount; i++)
        {
            var v = _powers[i] * n;
            if (Math.Abs(v - Math.Round(v)) > 1e-9) throw new FormatException($"power {n.ToString(CultureInfo.InvariantCulture)} gives a fractional dimension");
            p[i] = (int)Math.Round(v);
        }
        return new VoUnit(Math.Pow(Factor, n), p);
    }

    public VoUnit Scaled(double s) => new(Factor * s, _powers, Function, Argument);

    // Common kinds, by dimensions.
    private bool Is(params (Dimension D, int P)[] dims)
    {
        if (!IsLinear) return false;
        for (var i = 0; i < DimCount; i++)
        {
            var want = 0;
            foreach (var (d, p) in dims) if ((int)d == i) want = p;
            if (_powers[i] != want) return false;
        }
        return true;
    }

    /// <summary>A plane angle (deg, rad, arcsec, mas …).</summary>
    public bool IsAngle => Is((Dimension.Angle, 1));

    /// <summary>A time (s, h, d, yr …); for RA, hours of time are hours of angle.</summary>
    public bool IsTime => Is((Dimension.Time, 1));

    /// <summary>A length (m, Angstrom, um, pc …): wavelengths and distances.</summary>
    public bool IsLength => Is((Dimension.Length, 1));

    /// <summary>A frequency (Hz, GHz).</summary>
    public bool IsFrequency => Is((Dimension.Time, -1));

    /// <summary>An energy (erg, J, eV, keV).</summary>
    public bool IsEnergy => Is((Dimension.Mass, 1), (Dimension.Length, 2), (Dimension.Time, -2));

    /// <summary>The astronomical magnitude (mag, mmag).</summary>
    public bool IsMagnitude => Is((Dimension.Magnitude, 1));

    /// <summary>A flux density per unit frequency, F<sub>ν</sub> (Jy, erg s⁻¹ cm⁻² Hz⁻¹, W m⁻² Hz⁻¹): kg s⁻².</summary>
    public bool IsFluxDensityPerFrequency => Is((Dimension.Mass, 1), (Dimension.Time, -2));

    /// <summary>A flux density per unit wavelength, F<sub>λ</sub> (erg s⁻¹ cm⁻² Å⁻¹, W m⁻² nm⁻¹): kg m⁻¹ s⁻³.</summary>
    public bool IsFluxDensityPerWavelength => Is((Dimension.Mass, 1), (Dimension.Length, -1), (Dimension.Time, -3));

    /// <summary>A flux (erg s⁻¹ cm⁻², W m⁻²): kg s⁻³.</summary>
    public bool IsFlux => Is((Dimension.Mass, 1), (Dimension.Time, -3));

    public bool Equals(VoUnit? other) =>
        other is not null && Function == other.Function && _powers.AsSpan().SequenceEqual(other._powers)
        && Math.Abs(Factor - other.Factor) <= 1e-12 * Math.Max(Math.Abs(Factor), Math.Abs(other.Factor))
        && Equals(Argument, other.Argument);

    public override bool Equals(object? obj) => obj is VoUnit u && Equals(u);

    public override int GetHashCode() => HashCode.Combine(Function, _powers.Aggregate(17, (h, p) => h * 31 + p));

    /// <summary>Factor and powers in base units, for messages and debugging (e.g. <c>1e-26 kg.s**-2</c>).</summary>
    public override string ToString()
    {
        if (!IsLinear) return $"{Function}({Argument})";
        var sb = new StringBuilder();
        if (Factor != 1) sb.Append(Factor.ToString("R", CultureInfo.InvariantCulture)).Append(' ');
        string[] names = ["m", "kg", "s", "A", "K", "mol", "cd", "rad", "mag", "ct", "ph", "adu", "beam", "chan", "pix", "voxel", "bin", "bit"];
        var first = true;
        for (var i = 0; i < DimCount; i++)
        {
            if (_powers[i] == 0) continue;
            if (!first) sb.Append('.');
            first = false;
            sb.Append(names[i]);
            if (_powers[i] != 1) sb.Append("**").Append(_powers[i].ToString(CultureInfo.InvariantCulture));
        }
        if (first) sb.Append('1');
        return sb.ToString().Trim();
    }
}
