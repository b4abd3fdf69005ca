using System.Globalization;
using VoScript.Engine.Model;

namespace VoScript.Engine.Protocols.Registry;

/// <summary>
/// One endpoint a service set stands for: the records (rows) of the set that share its
/// access URL, after <see cref="ServiceSets.NormaliseUrl"/>.
/// </summary>
/// <param name="Name">The first record's short name (else IVOID, else the URL): the <c>service</c> column of results.</param>
/// <param name="Url">The first record's access URL as written.</param>
/// <param name="Records">Every record merged into this endpoint (IVOID with capability, or the name), in set order.</param>
internal sealed record ServiceEndpoint(string Name, string Url, IReadOnlyList<string> Records)
{
    /// <summary>Several registry records share this access URL.</summary>
    public bool IsMerged => Records.Count > 1;
}

/// <summary>
/// Service sets: tables with one row per service capability (<c>ivoid</c>, <c>short_name</c>,
/// <c>title</c>, <c>standard_id</c>, <c>access_url</c>, <c>waveband</c>), made by a Registry
/// search or from any table with a column of URLs, and the distinct endpoints they stand for.
/// </summary>
public static class ServiceSets
{
    /// <summary>The columns of a service set, in order.</summary>
    public static readonly string[] ColumnNames = ["ivoid", "short_name", "title", "standard_id", "access_url", "waveband"];

    /// <summary>Column names tried, in order, when a table given as a service set does not say which column holds the URLs.</summary>
    public static readonly string[] UrlColumnNames = ["access_url", "accessurl", "url", "service_url", "tap_url", "base_url", "endpoint"];

    /// <summary>The standard id given to the rows of a set made from a table without a <c>standard_id</c> column.</summary>
    public static string StandardIdOf(ServiceProtocol kind) => kind switch
    {
        ServiceProtocol.Tap => "ivo://ivoa.net/std/tap",
        ServiceProtocol.Scs => "ivo://ivoa.net/std/conesearch",
        ServiceProtocol.Sia => "ivo://ivoa.net/std/sia#query-2.0",
        ServiceProtocol.Ssa => "ivo://ivoa.net/std/ssa",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// The form two access URLs are compared in: scheme and host in lower case, the
    /// default port dropped, no trailing slash on the path, no fragment; the path's case
    /// and the query are kept (servers may tell them apart). Null for a text that is not
    /// an absolute http(s) URL.
    /// </summary>
    public static string? NormaliseUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var u)) return null;
        if (u.Scheme != Uri.UriSchemeHttp && u.Scheme != Uri.UriSchemeHttps) return null;
        var path = u.AbsolutePath.TrimEnd('/');
        // Uri already lower-cases scheme and host; IsDefaultPort covers 80 and 443
        var port = u.IsDefaultPort ? "" : ":" + u.Port.ToString(CultureInfo.InvariantCulture);
        return $"{u.Scheme}://{u.IdnHost.ToLowerInvariant()}{port}{path}{u.Query}";
    }

    /// <summary>A service set of Registry records.</summary>
    public static Table FromRegistry(string name, IReadOnlyList<RegistryService> services) =>
        Build(name, services.Select(s => new Row(s.Ivoid, s.ShortName, s.Title, s.StandardId, s.AccessUrl.ToString(),
            string.Join(" ", s.Wavebands))).ToList());

    /// <summary>
    /// A service set from any table: the URLs of <paramref name="urlColumn"/> (or of the first of
    /// <see cref="UrlColumnNames"/>, else of a column whose UCD is <c>meta.ref.url</c>), and
    /// <c>ivoid</c>, <c>short_name</c> (or <c>name</c>), <c>title</c>, <c>standard_id</c> and
    /// <c>waveband</c> when the table has them. Rows without a URL are left out (and counted in
    /// <paramref name="skipped"/>).
    /// </summary>
    /// <exception cref="VoScriptException">no URL column, or a value that is not an http(s) URL (with its row).</exception>
    public static Table FromTable(string name, Table source, string? urlColumn, ServiceProtocol kind, out int skipped)
    {
        var url = FindUrlColumn(source, urlColumn);
        Column? Opt(params string[] names) => names.Select(source.FindColumn).FirstOrDefault(c => c is not null && !ReferenceEquals(c, url));
        var ivoid = Opt("ivoid");
        var shortName = Opt("short_name", "name", "service");
        var title = Opt("title", "res_title");
        var std = Opt("standard_id");
        var wave = Opt("waveband");
        static string? Cell(Column? c, int r) => c is null || c.IsNull(r) ? null : c.FormatCell(r).Trim() is { Length: > 0 } s ? s : null;
        var rows = new List<Row>();
        skipped = 0;
        for (var r = 0; r < source.RowCount; r++)
        {
            var u = Cell(url, r);
            if (u is null) { skipped++; continue; }
            if (NormaliseUrl(u) is null)
                throw new VoScriptException(
                    $"row {(r + 1).ToString(CultureInfo.InvariantCulture)} of '{source.Name}': '{u}' in column '{url.Name}' is not an http(s) URL; a service set needs the services' access URLs");
            rows.Add(new Row(Cell(ivoid, r) ?? "", Cell(shortName, r), Cell(title, r), Cell(std, r) ?? StandardIdOf(kind), u, Cell(wave, r) ?? ""));
        }
        return Build(name, rows);
    }

    /// <summary>The column of <paramref name="source"/> holding URLs (see <see cref="FromTable"/>).</summary>
    public static Column FindUrlColumn(Table source, string? urlColumn)
    {
        if (urlColumn is not null)
            return source.FindColumn(urlColumn) ?? throw new VoScriptException(
                $"'{source.Name}' has no column {ScriptNames.Mention(urlColumn, NamePlace.ColumnList)}{ScriptNames.DidYouMean(urlColumn, source.Columns.Select(c => c.Name), NamePlace.ColumnList)}; its columns are: {ScriptNames.List(source.Columns.Select(c => c.Name), NamePlace.ColumnList)}");
        return UrlColumnNames.Select(source.FindColumn).FirstOrDefault(c => c is not null)
            ?? source.Columns.FirstOrDefault(c => string.Equals(c.Field.Ucd?.Trim(), "meta.ref.url", StringComparison.OrdinalIgnoreCase))
            ?? throw new VoScriptException(
                $"'{source.Name}' has no column of service URLs (looked for {string.Join(", ", UrlColumnNames)} and the UCD meta.ref.url); "
                + $"name it with 'column NAME' (its columns are: {ScriptNames.List(source.Columns.Select(c => c.Name), NamePlace.ColumnList)})");
    }

    /// <summary>
    /// The distinct endpoints of a service set: rows whose access URLs are equal after
    /// <see cref="NormaliseUrl"/> are one endpoint, asked once. Rows without a usable URL are left out.
    /// </summary>
    /// <exception cref="VoScriptException">the table has no <c>access_url</c> column.</exception>
    internal static IReadOnlyList<ServiceEndpoint> Endpoints(Table set, string setName)
    {
        var urls = set.FindColumn("access_url") ?? throw new VoScriptException($"'{setName}' is not a service set (it has no access_url column)");
        var names = set.FindColumn("short_name");
        var ivoids = set.FindColumn("ivoid");
        var std = set.FindColumn("standard_id");
        static string? Cell(Column? c, int r) => c is null || c.IsNull(r) ? null : c.FormatCell(r).Trim() is { Length: > 0 } s ? s : null;
        var byUrl = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<(string Name, string Url, List<string> Records)>();
        for (var r = 0; r < set.RowCount; r++)
        {
            var url = Cell(urls, r);
            var key = NormaliseUrl(url);
            if (url is null || key is null) continue;
            var ivoid = Cell(ivoids, r);
            var record = ivoid is null ? Cell(names, r) ?? url : ivoid + (CapabilitySuffix(Cell(std, r)) is { } c ? " (" + c + ")" : "");
            if (byUrl.TryGetValue(key, out var at))
            {
                if (!result[at].Records.Contains(record)) result[at].Records.Add(record);
                continue;
            }
            byUrl[key] = result.Count;
            result.Add((Cell(names, r) ?? ivoid ?? url, url, [record]));
        }
        return result.Select(e => new ServiceEndpoint(e.Name, e.Url, e.Records)).ToList();
    }

    /// <summary>The part of a standard id after its standard, e.g. <c>aux</c> of <c>ivo://ivoa.net/std/tap#aux</c>.</summary>
    private static string? CapabilitySuffix(string? standardId) =>
        standardId is not null && standardId.IndexOf('#', StringComparison.Ordinal) is var i and >= 0 && i < standardId.Length - 1
            ? standardId[(i + 1)..] : null;

    private sealed record Row(string Ivoid, string? ShortName, string? Title, string StandardId, string AccessUrl, string Waveband);

    /// <summary>The columns of every service set (what <c>select … where</c> on one can name before the run).</summary>
    public static IReadOnlyList<Field> Fields => Build("", []).Columns.Select(c => c.Field).ToList();

    private static Table Build(string name, IReadOnlyList<Row> rows)
    {
        StringColumn Col(string n, string ucd, string description, Func<Row, string?> f) =>
            new(new Field(n, DataType.Char, ArraySize.Variable) { Ucd = ucd, Description = description }, rows.Select(f).ToArray());
        var t = new Table(name) { Description = "a service set: one row per service capability" };
        t.AddColumn(Col("ivoid", "meta.ref.ivoid", "IVOA identifier of the resource", r => r.Ivoid));
        t.AddColumn(Col("short_name", "meta.id", "short name of the resource", r => r.ShortName));
        t.AddColumn(Col("title", "meta.title", "title of the resource", r => r.Title));
        t.AddColumn(Col("standard_id", "meta.ref.ivoid", "standard of the capability", r => r.StandardId));
        t.AddColumn(Col("access_url", "meta.ref.url", "access URL of the capability's interface", r => r.AccessUrl));
        t.AddColumn(Col("waveband", "instr.bandpass", "wavebands of the resource, space-separated", r => r.Waveband));
        return t;
    }
}
