namespace VoScript.Engine.Science.Selection;

/// <summary>
/// A column of values computed from an expression. Numbers are doubles with NaN for null;
/// true/false values are bytes (0 false, 1 true, 2 null); texts are strings (null for null).
/// </summary>
internal abstract class Vector
{
    public abstract int Count { get; }
}

internal sealed class NumberVector(double[] values, long[]? exact = null) : Vector
{
    public double[] Values { get; } = values;

    /// <summary>The exact integers when the values come from an integer column or constant (ids above 2^53 compare exactly).</summary>
    public long[]? Exact { get; } = exact;
    public override int Count => Values.Length;
}

internal sealed class BoolVector(byte[] values) : Vector
{
    public const byte False = 0, True = 1, Null = 2;
    public byte[] Values { get; } = values;
    public override int Count => Values.Length;
}

internal sealed class TextVector(string?[] values) : Vector
{
    public string?[] Values { get; } = values;
    public override int Count => Values.Length;
}
