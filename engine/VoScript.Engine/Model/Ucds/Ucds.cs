using System.Collections.Concurrent;
using VoScript.Engine.Science.Interop;

namespace VoScript.Engine.Model.Ucds;

/// <summary>How a UCD was understood.</summary>
/// <param name="Input">The UCD as the service wrote it.</param>
/// <param name="Ucd">The UCD in canonical UCD1+ form (UCD1 words translated, deprecated words replaced, list spelling); null for a blank UCD.</param>
/// <param name="Ucd1">UCD1 words and their translations (<c>PHOT_PS1_G → phot.mag;em.opt.B (inferred)</c>).</param>
/// <param name="Inferred">True when some UCD1 word was translated by the family rules rather than the explicit list.</param>
/// <param name="Deprecated">Deprecated UCD1+ words replaced (<c>phot.fluxDens → phot.flux.density</c>).</param>
/// <param name="Problems">What could not be understood: unknown words, words in a place their syntax code forbids.</param>
/// <param name="Family">The photometric system a UCD1 word named (<c>PHOT_SDSS_U</c> → SDSS), or null.</param>
internal sealed record UcdAnalysis(string Input, string? Ucd, IReadOnlyList<string> Ucd1, bool Inferred,
    IReadOnlyList<string> Deprecated, IReadOnlyList<string> Problems, string? Family)
{
    /// <summary>True when the UCD had UCD1 words.</summary>
    public bool HadUcd1 => Ucd1.Count > 0;
}

/// <summary>
/// UCDs: every UCD is parsed into its <c>;</c>-separated words (case-insensitive, blanks ignored), each
/// checked against the IVOA UCD1+ vocabulary (<see cref="UcdVocabulary"/>, UCDList 1.6) with its syntax code,
/// UCD1 words translated (<see cref="Ucd1"/>), deprecated words replaced; what is left is reported.
/// Results are cached per distinct text.
/// </summary>
internal static class Ucds
{
    private static readonly ConcurrentDictionary<string, UcdAnalysis> Cache = new(StringComparer.Ordinal);

    /// <summary>Parses and checks a UCD.</summary>
    public static UcdAnalysis Analyze(string ucd) => Cache.GetOrAdd(ucd, AnalyzeUncached);

    private static UcdAnalysis AnalyzeUncached(string input)
    {
        var parts = input.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return new UcdAnalysis(input, null, [], false, [], [], null);
        var words = new List<string>();
        var ucd1 = new List<string>();
        var deprecated = new List<string>();
        var problems = new List<string>();
        var inferred = false;
        string? family = null;
        foreach (var p in parts)
        {
            if (UcdVocabulary.Word(p) is { } w) { words.Add(w.Word); continue; }
            if (UcdVocabulary.Replacement(p) is { } repl)
            {
                deprecated.Add($"{p} → {repl}");
                words.AddRange(repl.Split(';'));
                continue;
            }
            if (Ucd1.LooksLikeUcd1(p))
            {
                if (Ucd1.Translate(p) is { } t)
                {
                    ucd1.Add($"{p} → {t.Ucd}{(t.Inferred ? " (inferred)" : "")}");
                    inferred |= t.Inferred;
                    family ??= t.Family;
                    words.AddRange(t.Ucd.Split(';'));
                }
                else
                {
                    problems.Add(UcdVocabulary.IsListedUcd1(p) ? $"UCD1 word '{p}' has no UCD1+ translation" : $"unknown UCD1-style word '{p}'");
                    words.Add(p);
                }
                continue;
            }
            problems.Add($"unknown word '{p}'");
            words.Add(p.Any(char.IsLower) ? p : p.ToLowerInvariant());
        }
        // drop repeated words (a UCD1 translation may repeat one the UCD already had)
        var distinct = words.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        for (var i = 0; i < distinct.Count; i++)
        {
            if (UcdVocabulary.Word(distinct[i]) is not { } w) continue;
            if (i == 0 && w.Syntax == UcdSyntax.Secondary) problems.Add($"'{w.Word}' cannot be the primary word (syntax code S)");
            if (i > 0 && w.Syntax == UcdSyntax.Primary) problems.Add($"'{w.Word}' can only be the primary word (syntax code P)");
        }
        return new UcdAnalysis(input, string.Join(';', distinct), ucd1, inferred, deprecated, problems, family);
    }

    /// <summary>True when the text has a UCD1 word.</summary>
    public static bool IsUcd1(string ucd) => Analyze(ucd).HadUcd1;

    /// <summary>The UCD1+ equivalent of a UCD with UCD1 words, or null when a UCD1 word could not be translated.</summary>
    public static string? FromUcd1(string ucd)
    {
        var a = Analyze(ucd);
        return a.HadUcd1 && !a.Problems.Any(p => p.Contains("UCD1", StringComparison.Ordinal)) ? a.Ucd : null;
    }

    /// <summary>The UCD1+ list spelling of the UCD's words (unknown words kept as written).</summary>
    public static string Canonical(string ucd) => Analyze(ucd).Ucd ?? "";

    /// <summary>The UCD in canonical UCD1+ form: UCD1 words mapped, deprecated words replaced, case and blanks fixed. Null or blank stays null.</summary>
    public static string? Normalize(string? ucd) => string.IsNullOrWhiteSpace(ucd) ? null : Analyze(ucd).Ucd;

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
