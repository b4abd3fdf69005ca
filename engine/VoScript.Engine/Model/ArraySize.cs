using System.Globalization;

namespace VoScript.Engine.Model;

/// <summary>
/// A VOTable <c>arraysize</c>: absent (scalar), fixed (<c>10</c>, <c>3x2</c>) or
/// variable in its last dimension (<c>*</c>, <c>10*</c>, <c>3x*</c>). The first
/// index varies fastest.
/// </summary>
public sealed record ArraySize
{
    /// <summary>The scalar case (no arraysize attribute).</summary>
    public static readonly ArraySize Scalar = new([], false, null);

    /// <summary>Unbounded variable length, <c>*</c>.</summary>
    public static readonly ArraySize Variable = new([], true, null);

    private ArraySize(int[] fixedDims, bool isVariable, int? maxLast)
    {
        FixedDimensions = fixedDims;
        IsVariable = isVariable;
        MaxLast = maxLast;
    }

    /// <summary>The fixed dimensions; for a variable size, all but the last.</summary>
    public IReadOnlyList<int> FixedDimensions { get; }

    /// <summary>True when the last dimension varies (<c>*</c>).</summary>
    public bool IsVariable { get; }

    /// <summary>The bound of the variable dimension (<c>10*</c> gives 10), if any.</summary>
    public int? MaxLast { get; }

    /// <summary>Whether a cell holds one element (no arraysize).</summary>
    public bool IsScalar => !IsVariable && FixedDimensions.Count == 0;

    /// <summary>Product of the fixed dimensions (1 for a scalar or plain <c>*</c>); an <see cref="OverflowException"/> when it exceeds <see cref="int.MaxValue"/>.</summary>
    public int FixedElementCount
    {
        get
        {
            var n = 1;
            foreach (var d in FixedDimensions) n = checked(n * d);
            return n;
        }
    }

    /// <summary>Elements per cell when the size is fixed; null when it varies.</summary>
    public int? FixedLength => IsVariable ? null : FixedElementCount;

    /// <summary>A fixed size with the given dimensions (first index fastest); none gives a scalar.</summary>
    public static ArraySize Fixed(params int[] dims) => dims.Length == 0 ? Scalar : new(dims, false, null);

    /// <summary>A variable size: fixed leading dimensions, then a last dimension of at most <paramref name="maxLast"/> (null: unbounded).</summary>
    public static ArraySize VariableWith(int[] fixedLeadingDims, int? maxLast) => new(fixedLeadingDims, true, maxLast);

    /// <summary>Parses a VOTable arraysize attribute (<c>10</c>, <c>3x4</c>, <c>*</c>, <c>10*</c>, <c>2x*</c>); false when it is malformed.</summary>
    public static bool TryParse(string? text, out ArraySize size)
    {
        size = Scalar;
        if (text is null) return true;
        var t = text.Trim();
        if (t.Length == 0) return true;
        var parts = t.Split('x', 'X');
        var dims = new List<int>(parts.Length);
        for (var i = 0; i < parts.Length; i++)
        {
            var p = parts[i].Trim();
            var last = i == parts.Length - 1;
            if (last && p.EndsWith('*'))
            {
                var bound = p[..^1];
                int? max = null;
                if (bound.Length > 0)
                {
                    if (!int.TryParse(bound, NumberStyles.None, CultureInfo.InvariantCulture, out var m)) return false;
                    max = m;
                }
                size = new ArraySize(dims.ToArray(), true, max);
                return true;
            }
            if (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var d) || d < 0) return false;
            dims.Add(d);
        }
        size = new ArraySize(dims.ToArray(), false, null);
        return true;
    }

    /// <summary>The arraysize attribute text (empty for a scalar).</summary>
    public override string ToString()
    {
        if (IsScalar) return "";
        var dims = string.Join("x", FixedDimensions);
        if (!IsVariable) return dims;
        var last = MaxLast is { } m ? m.ToString(CultureInfo.InvariantCulture) + "*" : "*";
        return dims.Length == 0 ? last : dims + "x" + last;
    }

    /// <summary>Same dimensions, variability and bound.</summary>
    public bool Equals(ArraySize? other) => other is not null && ToString() == other.ToString();

    /// <inheritdoc/>
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
