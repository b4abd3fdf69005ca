using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Photometry;

namespace VoScript.Engine.Science.Selection;

/// <summary>The functions of the expression language: scalar ones (any context) and the aggregates of <c>group</c>.</summary>
internal static class Functions
{
    /// <summary>Scalar functions and how many arguments each takes.</summary>
    public static readonly IReadOnlyDictionary<string, (int Min, int Max)> Scalar = new Dictionary<string, (int, int)>(StringComparer.Ordinal)
    {
        ["abs"] = (1, 1), ["round"] = (1, 2), ["floor"] = (1, 1), ["ceil"] = (1, 1),
        ["sqrt"] = (1, 1), ["pow"] = (2, 2), ["exp"] = (1, 1), ["ln"] = (1, 1), ["log10"] = (1, 1),
        ["min"] = (2, int.MaxValue), ["max"] = (2, int.MaxValue),
        ["sin"] = (1, 1), ["cos"] = (1, 1), ["tan"] = (1, 1),
        ["asin"] = (1, 1), ["acos"] = (1, 1), ["atan"] = (1, 1), ["atan2"] = (2, 2),
        ["separation"] = (4, 4),
        ["if"] = (3, 3), ["coalesce"] = (1, int.MaxValue), ["isnull"] = (1, 1),
        ["lower"] = (1, 1), ["upper"] = (1, 1), ["contains"] = (2, 2), ["startswith"] = (2, 2), ["concat"] = (1, int.MaxValue),
        ["mag_to_jy"] = (2, 2), ["jy_to_mag"] = (2, 2),
    };

    /// <summary>The aggregates of <c>group</c> (count also outside: rows of the same object).</summary>
    public static readonly IReadOnlyList<string> Aggregates =
        ["count", "sum", "mean", "median", "min", "max", "std", "first", "mean_position", "mean_ra", "mean_dec"];

    /// <summary>Whether a call of <paramref name="name"/> with <paramref name="args"/> arguments is an aggregate (min/max with one argument are).</summary>
    public static bool IsAggregate(string name, int args) => name switch
    {
        "min" or "max" => args == 1,
        _ => Aggregates.Contains(name),
    };

    /// <summary>Every function name, for completion and suggestions.</summary>
    public static IEnumerable<string> AllNames => Scalar.Keys.Concat(Aggregates).Distinct();

    /// <summary>" (did you mean 'x'?)" for a near miss among the function names, else empty.</summary>
    public static string DidYouMean(string name) => Nearest(name, AllNames) is { } m ? $" (did you mean '{m}'?)" : "";

    internal static string? Nearest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestD = int.MaxValue;
        foreach (var c in candidates)
        {
            var d = Distance(name.ToLowerInvariant(), c.ToLowerInvariant());
            if (d < bestD) { bestD = d; best = c; }
        }
        return bestD <= Math.Max(1, name.Length / 3) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        // optimal string alignment: insertions, deletions, substitutions and swaps of neighbours cost 1
        var before = new int[b.Length + 1];
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = Math.Min(cur[j], before[j - 2] + 1);
            }
            (before, prev, cur) = (prev, cur, before);
        }
        return prev[b.Length];
    }
}

/// <summary>Bands by the names a user writes in <c>mag_to_jy(mag, "2MASS J")</c>: the band's name or its SVO filter id, any case.</summary>
internal static class BandTable
{
    private static string Key(string s) => new(s.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static readonly Dictionary<string, Band> ByKey = Build();

    private static Dictionary<string, Band> Build()
    {
        var d = new Dictionary<string, Band>(StringComparer.Ordinal);
        foreach (var b in Bands.All)
        {
            d.TryAdd(Key(b.Name), b);
            d.TryAdd(Key(b.FilterId), b);
        }
        return d;
    }

    /// <summary>The band names, for messages.</summary>
    public static IEnumerable<string> Names => Bands.All.Select(b => b.Name);

    /// <summary>The band called <paramref name="name"/> (name or filter id, case, blanks and punctuation ignored), or null.</summary>
    public static Band? Find(string? name) => name is null ? null : ByKey.GetValueOrDefault(Key(name));

    /// <summary>" (did you mean "x"?)" for a near miss, else empty.</summary>
    public static string DidYouMean(string name) => Functions.Nearest(name, Names) is { } m ? $" (did you mean \"{m}\"?)" : "";

    /// <summary>Flux density in Jy of magnitude <paramref name="mag"/> in <paramref name="band"/> (as <c>sed</c> converts).</summary>
    public static double ToJy(double mag, Band band) => band.ZeroPointJy * Math.Pow(10, -0.4 * (mag + band.AbOffset));

    /// <summary>Magnitude of flux density <paramref name="jy"/> (Jy) in <paramref name="band"/>; NaN for flux ≤ 0.</summary>
    public static double ToMag(double jy, Band band) => jy > 0 ? -2.5 * Math.Log10(jy / band.ZeroPointJy) - band.AbOffset : double.NaN;
}
