using System.Globalization;

namespace VoScript.Engine.Runtime;

/// <summary>What a number measures; angles are held in degrees, durations in seconds.</summary>
public enum Quantity
{
    /// <summary>A plain number.</summary>
    Number,
    /// <summary>An angle in degrees.</summary>
    Angle,
    /// <summary>A duration in seconds.</summary>
    Duration,
}

/// <summary>A value known to a plan: a number (maybe an angle or a duration), a string, or a list.</summary>
public abstract record PlanValue
{
    /// <summary>The value as ADQL text: numbers in plain decimal (angles in degrees), strings quoted.</summary>
    public abstract string ToAdql();

    /// <summary>The value as a person reads it (<c>0.1 deg</c>, <c>30 s</c>, <c>[1, 2]</c>, strings unquoted).</summary>
    public abstract string ToDisplay();

    /// <summary>The value in canonical source form (strings quoted), as plans print it.</summary>
    public virtual string ToCanonical() => ToDisplay();

    /// <summary>A number in invariant, plain decimal notation (no exponent), shortest round-trip digits.</summary>
    public static string FormatNumber(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
            throw new VoScriptException($"the number {value.ToString(CultureInfo.InvariantCulture)} cannot be written as ADQL");
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOf('E', StringComparison.Ordinal);
        return e < 0 ? r : ExpandExponent(r, e);
    }

    /// <summary>
    /// An angle for people: in the largest of deg, arcmin and arcsec in which it is at least 1
    /// (arcsec below that), to at most 6 significant digits: <c>6 arcmin</c>, <c>12.5 arcmin</c>,
    /// <c>1.5 arcsec</c>, <c>150.119 deg</c>. ADQL gets the degrees in full (<see cref="FormatNumber"/>).
    /// </summary>
    public static string FormatAngle(double degrees)
    {
        if (!double.IsFinite(degrees)) return degrees.ToString(CultureInfo.InvariantCulture) + " deg";
        var a = Math.Abs(degrees);
        var (value, unit) = a >= 1 || a == 0 ? (degrees, "deg") : a * 60 >= 1 ? (degrees * 60, "arcmin") : (degrees * 3600, "arcsec");
        var rounded = double.Parse(value.ToString("G6", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
        return FormatNumber(rounded) + " " + unit;
    }

    /// <summary>Rewrites <c>-1.25E+30</c> or <c>1E-30</c> in plain notation with the same digits, for any exponent.</summary>
    private static string ExpandExponent(string r, int e)
    {
        var sign = r[0] == '-' ? "-" : "";
        var mantissa = r[sign.Length..e];
        var exponent = int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        var point = (dot < 0 ? mantissa.Length : dot) + exponent;
        if (point <= 0) return sign + "0." + new string('0', -point) + digits;
        if (point >= digits.Length) return sign + digits + new string('0', point - digits.Length);
        return sign + digits[..point] + "." + digits[point..];
    }
}

/// <summary>A number, an angle (degrees) or a duration (seconds).</summary>
/// <param name="Value">The number in its quantity's unit.</param>
/// <param name="Quantity">What it measures.</param>
public sealed record NumberValue(double Value, Quantity Quantity = Quantity.Number) : PlanValue
{
    /// <summary>A sexagesimal angle as the script wrote it (<c>10h00m28.6s</c>); plans show it beside the degrees.</summary>
    public string? Written { get; init; }

    /// <inheritdoc/>
    public override string ToAdql() => FormatNumber(Value);

    /// <summary>
    /// An angle shows the form written (sexagesimal) or the unit it reads best in, and beside it the
    /// degrees sent in ADQL when they differ: <c>10h00m28.6s (150.11916666666667 deg)</c>, <c>6 arcmin (0.1 deg)</c>.
    /// </summary>
    public override string ToCanonical()
    {
        if (Quantity != Quantity.Angle || !double.IsFinite(Value)) return ToDisplay();
        var degrees = FormatNumber(Value) + " deg";
        var shown = Written ?? ToDisplay();
        return shown == degrees ? shown : $"{shown} ({degrees})";
    }

    /// <summary>Equal values are equal however they were written.</summary>
    public bool Equals(NumberValue? other) => other is not null && Value.Equals(other.Value) && Quantity == other.Quantity;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Value, Quantity);

    /// <summary>For people: never throws (an infinite or NaN value, which ADQL cannot hold, shows as such).</summary>
    public override string ToDisplay()
    {
        var n = double.IsFinite(Value) ? FormatNumber(Value) : Value.ToString(CultureInfo.InvariantCulture);
        return Quantity switch
        {
            Quantity.Angle => FormatAngle(Value),
            Quantity.Duration => n + " s",
            _ => n,
        };
    }

    /// <summary>A duration as a <see cref="TimeSpan"/> (only for <see cref="Quantity.Duration"/>).</summary>
    public TimeSpan AsTimeSpan() => Quantity == Quantity.Duration
        ? TimeSpan.FromSeconds(Value)
        : throw new InvalidOperationException($"{ToDisplay()} is not a duration");
}

/// <summary>A string.</summary>
/// <param name="Value">The text.</param>
public sealed record StringValue(string Value) : PlanValue
{
    /// <summary>Quoted for ADQL: single quotes, an embedded quote doubled (<c>'O''Brien'</c>).</summary>
    public override string ToAdql() => "'" + Value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <inheritdoc/>
    public override string ToDisplay() => Value;

    /// <inheritdoc/>
    public override string ToCanonical() =>
        "\"" + Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}

/// <summary>ADQL text (<c>adql { … }</c>, its holes already filled), put verbatim into a query.</summary>
public sealed record AdqlValue(string Text) : PlanValue
{
    /// <inheritdoc/>
    public override string ToAdql() => Text;

    /// <inheritdoc/>
    public override string ToDisplay() => Text;

    /// <inheritdoc/>
    public override string ToCanonical() => "adql { " + Text + " }";
}

/// <summary>A list of values (for <c>IN (${list})</c>).</summary>
/// <param name="Items">The values.</param>
public sealed record ListValue(IReadOnlyList<PlanValue> Items) : PlanValue
{
    /// <summary>Comma-separated items, ready for <c>IN (${list})</c>.</summary>
    public override string ToAdql() => string.Join(", ", Items.Select(i => i.ToAdql()));

    /// <inheritdoc/>
    public override string ToDisplay() => "[" + string.Join(", ", Items.Select(i => i.ToDisplay())) + "]";

    /// <inheritdoc/>
    public override string ToCanonical() => "[" + string.Join(", ", Items.Select(i => i.ToCanonical())) + "]";

    /// <summary>Item-wise equality.</summary>
    public bool Equals(ListValue? other) => other is not null && Items.SequenceEqual(other.Items);

    /// <inheritdoc/>
    public override int GetHashCode() => Items.Aggregate(17, (h, i) => h * 31 + i.GetHashCode());
}
