using System.Globalization;

namespace VoScript.Engine.Runtime;

/// <summary>What a number measures; angles are held in degrees, durations in seconds.</summary>
internal enum Quantity
{
    Number,
    Angle,
    Duration,
}

/// <summary>A value known to a plan: a number (maybe an angle or a duration), a string, or a list.</summary>
internal abstract record PlanValue
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

internal sealed record NumberValue(double Value, Quantity Quantity = Quantity.Number) : PlanValue
{
    /// <summary>A sexagesimal angle as the script wrote it (<c>10h00m28.6s</c>); plans show it beside the degrees.</summary>
    public string? Written { get; init; }

    public override string ToAdql() => FormatNumber(Value);

    /// <summary>An angle written sexagesimally shows that form and the degrees sent in ADQL.</summary>
    public override string ToCanonical() =>
        Written is not null && Quantity == Quantity.Angle ? $"{Written} ({FormatNumber(Value)} deg)" : ToDisplay();

    /// <summary>Equal values are equal however they were written.</summary>
    public bool Equals(NumberValue? other) => other is not null && Value.Equals(other.Value) && Quantity == other.Quantity;

    public override int GetHashCode() => HashCode.Combine(Value, Quantity);

    /// <summary>For people: never throws (an infinite or NaN value, which ADQL cannot hold, shows as such).</summary>
    public override string ToDisplay()
    {
        var n = double.IsFinite(Value) ? FormatNumber(Value) : Value.ToString(CultureInfo.InvariantCulture);
        return Quantity switch
        {
            Quantity.Angle => n + " deg",
            Quantity.Duration => n + " s",
            _ => n,
        };
    }

    /// <summary>A duration as a <see cref="TimeSpan"/> (only for <see cref="Quantity.Duration"/>).</summary>
    public TimeSpan AsTimeSpan() => Quantity == Quantity.Duration
        ? TimeSpan.FromSeconds(Value)
        : throw new InvalidOperationException($"{ToDisplay()} is not a duration");
}

internal sealed record StringValue(string Value) : PlanValue
{
    /// <summary>Quoted for ADQL: single quotes, an embedded quote doubled (<c>'O''Brien'</c>).</summary>
    public override string ToAdql() => "'" + Value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public override string ToDisplay() => Value;

    public override string ToCanonical() =>
        "\"" + Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}

internal sealed record ListValue(IReadOnlyList<PlanValue> Items) : PlanValue
{
    /// <summary>Comma-separated items, ready for <c>IN (${list})</c>.</summary>
    public override string ToAdql() => string.Join(", ", Items.Select(i => i.ToAdql()));

    public override string ToDisplay() => "[" + string.Join(", ", Items.Select(i => i.ToDisplay())) + "]";

    public override string ToCanonical() => "[" + string.Join(", ", Items.Select(i => i.ToCanonical())) + "]";

    public bool Equals(ListValue? other) => other is not null && Items.SequenceEqual(other.Items);

    public override int GetHashCode() => Items.Aggregate(17, (h, i) => h * 31 + i.GetHashCode());
}
