using System.Globalization;
using System.Text.RegularExpressions;

namespace VoScript.Server.Tap;

/// <summary>
/// The parameters of one TAP request or job: names are case-insensitive (kept upper case),
/// values case-sensitive and in order; inline upload parts are kept by their part name.
/// </summary>
internal sealed class TapParameters
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _order = [];

    /// <summary>Multipart file parts (the targets of <c>param:NAME</c> upload URIs), by part name.</summary>
    public Dictionary<string, byte[]> InlineParts { get; } = new(StringComparer.Ordinal);

    public IEnumerable<(string Name, string Value)> All =>
        _order.SelectMany(n => _values[n].Select(v => (n, v)));

    public void Add(string name, string value)
    {
        var key = name.ToUpperInvariant();
        if (!_values.TryGetValue(key, out var list))
        {
            _values[key] = list = [];
            _order.Add(key);
        }
        list.Add(value);
    }

    /// <summary>Sets the parameters of <paramref name="other"/>: a name given there replaces all values of that name here.</summary>
    public void SetRange(TapParameters other)
    {
        foreach (var name in other._order) _values.Remove(name);
        _order.RemoveAll(n => !_values.ContainsKey(n) && other._values.ContainsKey(n));
        foreach (var (n, v) in other.All) Add(n, v);
        foreach (var (k, b) in other.InlineParts) InlineParts[k] = b;
    }

    public IReadOnlyList<string> GetAll(string name) => _values.TryGetValue(name, out var l) ? l : [];

    /// <summary>The one value of <paramref name="name"/>, null when absent; an error when repeated with different values.</summary>
    public string? GetSingle(string name)
    {
        var l = GetAll(name);
        if (l.Count == 0) return null;
        if (l.Distinct(StringComparer.Ordinal).Count() > 1)
            throw new TapRequestException($"parameter {name.ToUpperInvariant()} is given {l.Count} times with different values; give it once");
        return l[0];
    }

    public long InlineBytes => InlineParts.Values.Sum(b => (long)b.Length);
}

/// <summary>A TAP query request after its parameters were checked.</summary>
internal sealed record TapQuery(string Adql, long MaxRec, ResultFormat Format, IReadOnlyList<UploadSpec> Uploads, string? RunId);

/// <summary>One <c>UPLOAD=name,uri</c> pair.</summary>
internal sealed record UploadSpec(string Name, string Uri);

/// <summary>Checks LANG, REQUEST, VERSION, QUERY, MAXREC, RESPONSEFORMAT/FORMAT, UPLOAD and RUNID.</summary>
internal static partial class TapQueryParser
{
    public static TapQuery Parse(TapParameters p, TapServiceOptions options)
    {
        var request = p.GetSingle("REQUEST");
        if (request is not null && !string.Equals(request, "doQuery", StringComparison.OrdinalIgnoreCase))
            throw new TapRequestException($"REQUEST={request} is not supported; this service answers REQUEST=doQuery (or no REQUEST)");
        var version = p.GetSingle("VERSION");
        if (version is not null && version is not ("1.0" or "1.1"))
            throw new TapRequestException($"VERSION={version} is not supported; this service speaks TAP 1.1 (1.0 requests are accepted)");
        var lang = p.GetSingle("LANG");
        if (lang is null)
            throw new TapRequestException("missing parameter LANG: give LANG=ADQL");
        if (!(string.Equals(lang, "ADQL", StringComparison.OrdinalIgnoreCase)
              || string.Equals(lang, "ADQL-2.0", StringComparison.OrdinalIgnoreCase)
              || string.Equals(lang, "ADQL-2.1", StringComparison.OrdinalIgnoreCase)))
            throw new TapRequestException($"LANG={lang} is not supported; this service answers LANG=ADQL (ADQL-2.0, ADQL-2.1)");
        var query = p.GetSingle("QUERY");
        if (string.IsNullOrWhiteSpace(query))
            throw new TapRequestException("missing parameter QUERY: give the ADQL query, e.g. QUERY=SELECT TOP 10 * FROM TAP_SCHEMA.tables");

        var maxRec = options.DefaultMaxRec;
        var maxText = p.GetSingle("MAXREC");
        if (maxText is not null)
        {
            if (!long.TryParse(maxText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out maxRec))
                throw new TapRequestException($"MAXREC={maxText} is not a non-negative integer");
        }
        maxRec = Math.Min(maxRec, options.HardMaxRec);

        var rf = p.GetSingle("RESPONSEFORMAT");
        var ff = p.GetSingle("FORMAT");
        if (rf is not null && ff is not null && rf != ff)
            throw new TapRequestException("give RESPONSEFORMAT or FORMAT, not both");
        var format = ResultFormat.Parse(rf ?? ff);

        var uploads = new List<UploadSpec>();
        foreach (var value in p.GetAll("UPLOAD"))
        {
            foreach (var pair in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var comma = pair.IndexOf(',');
                if (comma <= 0 || comma == pair.Length - 1)
                    throw new TapRequestException($"UPLOAD={pair} is not of the form name,URI (e.g. UPLOAD=mine,param:mine)");
                var name = pair[..comma].Trim();
                var uri = pair[(comma + 1)..].Trim();
                if (!UploadName().IsMatch(name))
                    throw new TapRequestException($"upload table name '{name}' is not valid: use a letter followed by letters, digits or _");
                if (uploads.Any(u => string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase)))
                    throw new TapRequestException($"upload table name '{name}' is given twice");
                uploads.Add(new UploadSpec(name, uri));
            }
        }
        var runId = p.GetSingle("RUNID");
        if (runId is { Length: > 64 }) throw new TapRequestException("RUNID is longer than 64 characters");
        return new TapQuery(query, maxRec, format, uploads, runId);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex UploadName();
}
