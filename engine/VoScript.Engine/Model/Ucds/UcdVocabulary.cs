using System.Reflection;
using VoScript.Engine.Science.Interop;

namespace VoScript.Engine.Model.Ucds;

/// <summary>
/// The syntax code of a UCD1+ word (UCDList §2): where in a UCD it may stand.
/// </summary>
internal enum UcdSyntax
{
    /// <summary>P: only as the primary (first) word.</summary>
    Primary,
    /// <summary>S: only as a secondary word.</summary>
    Secondary,
    /// <summary>Q: either.</summary>
    Either,
    /// <summary>E: a photometric quantity, may be followed by an <c>em.*</c> word.</summary>
    Photometric,
    /// <summary>C: a colour, may be followed by two <c>em.*</c> words.</summary>
    Colour,
    /// <summary>V: a vector, may be followed by an axis or frame word.</summary>
    Vector,
}

/// <summary>A word of the UCD1+ vocabulary: its spelling in the list, syntax code and description.</summary>
internal sealed record UcdWord(string Word, UcdSyntax Syntax, string Description);

/// <summary>
/// The vocabularies shipped as embedded data files (Model/Ucds/Data, provenance in each file's header and in
/// docs/interop.md): the IVOA UCD1+ word list (UCDList 1.6) with syntax codes, its deprecated words with their
/// replacements, the CDS UCD1 word list, and VoScript's explicit UCD1→UCD1+ correspondence. Loaded once.
/// </summary>
internal static class UcdVocabulary
{
    private static readonly Lazy<Data> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private sealed record Data(
        Dictionary<string, UcdWord> Words,
        Dictionary<string, string> Deprecated,
        Dictionary<string, string> Ucd1Words,
        Dictionary<string, string> Ucd1Map,
        string Version);

    /// <summary>The UCD1+ word (canonical spelling and syntax) for <paramref name="word"/>, compared case-insensitively.</summary>
    public static UcdWord? Word(string word) => Loaded.Value.Words.GetValueOrDefault(word.Trim());

    /// <summary>The replacement of a deprecated UCD1+ word (UCDList 1.6 ucd-list-deprecated.txt), or null.</summary>
    public static string? Replacement(string word) => Loaded.Value.Deprecated.GetValueOrDefault(word.Trim());

    /// <summary>True when <paramref name="word"/> is in the CDS UCD1 list.</summary>
    public static bool IsListedUcd1(string word) => Loaded.Value.Ucd1Words.ContainsKey(word.Trim());

    /// <summary>The definition of a UCD1 word in the CDS list, or null.</summary>
    public static string? Ucd1Definition(string word) => Loaded.Value.Ucd1Words.GetValueOrDefault(word.Trim());

    /// <summary>The explicit UCD1+ translation of a UCD1 word, or null.</summary>
    public static string? ExplicitUcd1(string word) => Loaded.Value.Ucd1Map.GetValueOrDefault(word.Trim());

    /// <summary>Number of UCD1+ words loaded.</summary>
    public static int WordCount => Loaded.Value.Words.Count;

    /// <summary>Number of UCD1 words loaded.</summary>
    public static int Ucd1Count => Loaded.Value.Ucd1Words.Count;

    /// <summary>The UCD list's version line (e.g. <c>EN-UCDlist-v1.6-2024-12-18</c>).</summary>
    public static string Version => Loaded.Value.Version;

    /// <summary>All explicit UCD1 translations (for tests and docs).</summary>
    public static IReadOnlyDictionary<string, string> ExplicitUcd1Map => Loaded.Value.Ucd1Map;

    /// <summary>All UCD1+ words.</summary>
    public static IEnumerable<UcdWord> AllWords => Loaded.Value.Words.Values;

    private static IEnumerable<string> Lines(string name)
    {
        var asm = typeof(UcdVocabulary).Assembly;
        using var s = asm.GetManifestResourceStream("VoScript.Engine.Model.Ucds.Data." + name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from {asm.GetName().Name}");
        using var r = new StreamReader(s);
        var all = new List<string>();
        while (r.ReadLine() is { } line) all.Add(line);
        return all;
    }

    private static Data Load()
    {
        var words = new Dictionary<string, UcdWord>(StringComparer.OrdinalIgnoreCase);
        var version = "";
        foreach (var line in Lines("ucd-list.txt"))
        {
            if (line.StartsWith("#EN-", StringComparison.Ordinal)) version = line[1..].Trim();
            if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line)) continue;
            var parts = line.Split('|');
            if (parts.Length < 3) continue;
            var code = parts[0].Trim() switch
            {
                "P" => UcdSyntax.Primary, "S" => UcdSyntax.Secondary, "Q" => UcdSyntax.Either,
                "E" => UcdSyntax.Photometric, "C" => UcdSyntax.Colour, "V" => UcdSyntax.Vector,
                var x => throw new InvalidOperationException($"ucd-list.txt: unknown syntax code '{x}'"),
            };
            var w = parts[1].Trim();
            words[w] = new UcdWord(w, code, parts[2].Trim());
        }
        var deprecated = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in Lines("ucd-list-deprecated.txt"))
        {
            if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line)) continue;
            var parts = line.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length == 2) deprecated[parts[0]] = parts[1];
        }
        var ucd1 = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in Lines("ucd1-words.txt"))
        {
            if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line)) continue;
            var parts = line.Split('\t', 2);
            ucd1[parts[0].Trim()] = parts.Length > 1 ? parts[1].Trim() : "";
        }
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in Lines("ucd1-to-ucd1p.txt"))
        {
            if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line)) continue;
            var parts = line.Split('\t', 2);
            if (parts.Length == 2) map[parts[0].Trim()] = parts[1].Trim();
        }
        return new Data(words, deprecated, ucd1, map, version);
    }
}
