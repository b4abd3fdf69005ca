using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using VoScript.Engine.Protocols.Dal;
using VoScript.Engine.Protocols.Http;

namespace VoScript.Engine.Protocols.Tap;

/// <summary>An interface of a capability: type, role, version and access URLs.</summary>
internal sealed record VosiInterface(string? Type, string? Role, string? Version, IReadOnlyList<(Uri Url, string? Use)> AccessUrls);

/// <summary>A limit of TAPRegExt (outputLimit, uploadLimit, …): default and hard, with a unit.</summary>
internal sealed record TapLimit(long? Default, long? Hard, string? Unit);

/// <summary>An output format of TAPRegExt.</summary>
internal sealed record TapOutputFormat(string Mime, IReadOnlyList<string> Aliases);

/// <summary>A query language of TAPRegExt, with its versions and features.</summary>
internal sealed record TapLanguage(string Name, IReadOnlyList<string> Versions, IReadOnlyList<(string Type, string Form)> Features);

/// <summary>One capability of a VOSI capabilities document (TAPRegExt details filled for TAP).</summary>
internal sealed class VosiCapability
{
    /// <summary>The capability's standardID.</summary>
    public string StandardId { get; init; } = "";
    /// <summary>The xsi:type.</summary>
    public string? Type { get; init; }
    /// <summary>Its interfaces.</summary>
    public IReadOnlyList<VosiInterface> Interfaces { get; init; } = [];
    /// <summary>The data models (IVOID, name).</summary>
    public IReadOnlyList<(string IvoId, string Name)> DataModels { get; init; } = [];
    /// <summary>The query languages.</summary>
    public IReadOnlyList<TapLanguage> Languages { get; init; } = [];
    /// <summary>The output formats.</summary>
    public IReadOnlyList<TapOutputFormat> OutputFormats { get; init; } = [];
    /// <summary>The upload methods.</summary>
    public IReadOnlyList<string> UploadMethods { get; init; } = [];
    /// <summary>The output (row) limit.</summary>
    public TapLimit? OutputLimit { get; init; }
    /// <summary>The upload limit.</summary>
    public TapLimit? UploadLimit { get; init; }
    /// <summary>The retention period.</summary>
    public TapLimit? RetentionPeriod { get; init; }
    /// <summary>The execution duration limit.</summary>
    public TapLimit? ExecutionDuration { get; init; }

    /// <summary>The first access URL of a standard interface (or of any interface).</summary>
    public Uri? AccessUrl =>
        (Interfaces.FirstOrDefault(i => string.Equals(i.Role, "std", StringComparison.OrdinalIgnoreCase)) ?? Interfaces.FirstOrDefault())
        ?.AccessUrls.Select(a => a.Url).FirstOrDefault();
}

/// <summary>A VOSI capabilities document.</summary>
internal sealed class VosiCapabilities
{
    /// <summary>All capabilities.</summary>
    public IReadOnlyList<VosiCapability> Capabilities { get; init; } = [];

    /// <summary>The TAP capability (standardID ivo://ivoa.net/std/TAP), if declared.</summary>
    public VosiCapability? Tap => Find(Vosi.TapId);

    /// <summary>The capability of <paramref name="standardId"/>.</summary>
    public VosiCapability? Find(string standardId) =>
        Capabilities.FirstOrDefault(c => c.StandardId.StartsWith(standardId, StringComparison.OrdinalIgnoreCase));

    /// <summary>The access URL of the capability of <paramref name="standardId"/>.</summary>
    public Uri? AccessUrl(string standardId) => Find(standardId)?.AccessUrl;

    /// <summary>Whether the service accepts uploads by <paramref name="method"/>.</summary>
    public bool SupportsUpload(string method) =>
        Tap?.UploadMethods.Any(m => m.EndsWith("#upload-" + method, StringComparison.OrdinalIgnoreCase)) ?? false;

    /// <summary>Whether a data model starting with <paramref name="ivoIdPrefix"/> is declared.</summary>
    public bool HasDataModel(string ivoIdPrefix) =>
        Tap?.DataModels.Any(d => d.IvoId.StartsWith(ivoIdPrefix, StringComparison.OrdinalIgnoreCase)) ?? false;
}

/// <summary>A VOSI availability document (advisory only: never gate work on it).</summary>
internal sealed record VosiAvailability(bool Available, DateTimeOffset? UpSince, DateTimeOffset? DownAt, DateTimeOffset? BackAt, IReadOnlyList<string> Notes);

/// <summary>A column of a VOSI tableset.</summary>
internal sealed record VosiColumn(string Name, string? Description, string? Unit, string? Ucd, string? Utype,
    string? DataType, string? ArraySize, string? XType, IReadOnlyList<string> Flags, bool Std);

/// <summary>A foreign key of a VOSI table.</summary>
internal sealed record VosiForeignKey(string TargetTable, IReadOnlyList<(string From, string Target)> Columns, string? Description);

/// <summary>A table of a VOSI tableset (name as the service spells it, quotes included for delimited names).</summary>
internal sealed record VosiTable(string Name, string? Type, string? Title, string? Description, string? Utype,
    IReadOnlyList<VosiColumn> Columns, IReadOnlyList<VosiForeignKey> ForeignKeys);

/// <summary>A schema of a VOSI tableset.</summary>
internal sealed record VosiSchema(string Name, string? Title, string? Description, IReadOnlyList<VosiTable> Tables);

/// <summary>A VOSI tableset.</summary>
internal sealed class VosiTableSet
{
    /// <summary>The schemas.</summary>
    public IReadOnlyList<VosiSchema> Schemas { get; init; } = [];

    /// <summary>All tables of all schemas.</summary>
    public IEnumerable<VosiTable> Tables => Schemas.SelectMany(s => s.Tables);

    /// <summary>The table with this name (exact, then ignoring case; with or without schema).</summary>
    public VosiTable? Find(string name) =>
        Tables.FirstOrDefault(t => t.Name == name)
        ?? Tables.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? Tables.FirstOrDefault(t => string.Equals(t.Name.Split('.').Last(), name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Reads the VOSI documents (VOSI 1.1, VODataService 1.1/1.2, TAPRegExt 1.0), matching elements by local name.</summary>
internal static class Vosi
{
    public const string TapId = "ivo://ivoa.net/std/TAP";
    public const string CapabilitiesId = "ivo://ivoa.net/std/VOSI#capabilities";
    public const string AvailabilityId = "ivo://ivoa.net/std/VOSI#availability";
    public const string TablesId = "ivo://ivoa.net/std/VOSI#tables";

    public static async Task<VosiCapabilities> GetCapabilitiesAsync(VoHttpClient http, Uri url, CancellationToken ct)
    {
        var root = await GetXmlAsync(http, url, "capabilities", "VOSI capabilities", ct).ConfigureAwait(false);
        return ParseCapabilities(root);
    }

    public static async Task<VosiAvailability> GetAvailabilityAsync(VoHttpClient http, Uri url, CancellationToken ct)
    {
        var root = await GetXmlAsync(http, url, "availability", "VOSI availability", ct).ConfigureAwait(false);
        return ParseAvailability(root);
    }

    public static async Task<VosiTableSet> GetTablesAsync(VoHttpClient http, Uri url, CancellationToken ct)
    {
        var root = await GetXmlAsync(http, url, "tableset", "VOSI tables", ct).ConfigureAwait(false);
        return ParseTables(root);
    }

    private static async Task<XElement> GetXmlAsync(VoHttpClient http, Uri url, string rootName, string what, CancellationToken ct)
    {
        using var resp = await http.SendAsync(VoRequest.Get(url), ct).ConfigureAwait(false);
        var text = await resp.ReadTextAsync(ct, 64 * 1024 * 1024).ConfigureAwait(false);
        var excerpt = ServiceException.Excerpt(text);
        if (!resp.IsSuccess)
            throw new ServiceException($"Reading the {what} failed with HTTP {resp.StatusCode}.", resp.Url, resp.StatusCode, excerpt)
            { IsTransient = VoHttpClient.IsTransientStatus(resp.StatusCode) };
        switch (DalResponseReader.Sniff(text))
        {
            case DalResponseReader.BodyKind.Empty:
                throw new ServiceException($"The {what} document is empty.", resp.Url, resp.StatusCode, null);
            case DalResponseReader.BodyKind.Html:
                throw new ServiceException($"The service answered the {what} request with an HTML page.", resp.Url, resp.StatusCode, excerpt);
            case DalResponseReader.BodyKind.Other:
                throw new ServiceException($"The {what} document is not XML.", resp.Url, resp.StatusCode, excerpt);
        }
        XDocument doc;
        try { doc = SafeXml.Parse(text); }
        catch (XmlException e) { throw new ServiceException($"The {what} document is not well-formed XML: {e.Message}", resp.Url, resp.StatusCode, excerpt, inner: e); }
        if (doc.Root is null || doc.Root.Name.LocalName != rootName)
            throw new ServiceException($"Expected a {what} document (<{rootName}>) but got <{doc.Root?.Name.LocalName}>.", resp.Url, resp.StatusCode, excerpt);
        return doc.Root;
    }

    public static VosiCapabilities ParseCapabilities(XElement root)
    {
        var caps = new List<VosiCapability>();
        foreach (var c in root.Children("capability"))
        {
            var interfaces = c.Children("interface").Select(i => new VosiInterface(
                i.Attr("type"), i.Attr("role"), i.Attr("version"),
                i.Children("accessURL")
                    .Select(a => (Ok: Uri.TryCreate(a.Value.Trim(), UriKind.Absolute, out var u), Url: u, Use: a.Attr("use")))
                    .Where(a => a.Ok).Select(a => (a.Url!, a.Use)).ToList())).ToList();
            caps.Add(new VosiCapability
            {
                StandardId = c.Attr("standardID") ?? "",
                Type = c.Attr("type"),
                Interfaces = interfaces,
                DataModels = c.Children("dataModel").Select(d => (d.Attr("ivo-id") ?? "", d.Value.Trim())).ToList(),
                Languages = c.Children("language").Select(l => new TapLanguage(
                    l.ChildText("name") ?? "",
                    l.Children("version").Select(v => v.Attr("ivo-id") ?? v.Value.Trim()).ToList(),
                    l.Children("languageFeatures").SelectMany(f => f.Children("feature").Select(x => (f.Attr("type") ?? "", x.ChildText("form") ?? ""))).ToList())).ToList(),
                OutputFormats = c.Children("outputFormat").Select(o => new TapOutputFormat(o.ChildText("mime") ?? "",
                    o.Children("alias").Select(a => a.Value.Trim()).ToList())).ToList(),
                UploadMethods = c.Children("uploadMethod").Select(u => u.Attr("ivo-id") ?? "").ToList(),
                OutputLimit = Limit(c.Child("outputLimit")),
                UploadLimit = Limit(c.Child("uploadLimit")),
                RetentionPeriod = Limit(c.Child("retentionPeriod")),
                ExecutionDuration = Limit(c.Child("executionDuration")),
            });
        }
        return new VosiCapabilities { Capabilities = caps };
    }

    private static TapLimit? Limit(XElement? e)
    {
        if (e is null) return null;
        static long? Num(XElement? x) => x is not null && long.TryParse(x.Value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
        var d = e.Child("default");
        var h = e.Child("hard");
        return new TapLimit(Num(d), Num(h), d?.Attr("unit") ?? h?.Attr("unit"));
    }

    public static VosiAvailability ParseAvailability(XElement root)
    {
        var available = string.Equals(root.ChildText("available"), "true", StringComparison.OrdinalIgnoreCase) || root.ChildText("available") == "1";
        return new VosiAvailability(available,
            UwsJobInfo.Time(root.ChildText("upSince")), UwsJobInfo.Time(root.ChildText("downAt")), UwsJobInfo.Time(root.ChildText("backAt")),
            root.Children("note").Select(n => n.Value.Trim()).Where(n => n.Length > 0).ToList());
    }

    public static VosiTableSet ParseTables(XElement root)
    {
        var schemas = new List<VosiSchema>();
        foreach (var s in root.Children("schema"))
        {
            var tables = s.Children("table").Select(ParseTable).ToList();
            schemas.Add(new VosiSchema(s.ChildText("name") ?? "", s.ChildText("title"), s.ChildText("description"), tables));
        }
        // Some services put tables directly under the tableset.
        var loose = root.Children("table").Select(ParseTable).ToList();
        if (loose.Count > 0) schemas.Add(new VosiSchema("", null, null, loose));
        return new VosiTableSet { Schemas = schemas };
    }

    /// <summary>Parses one <c>table</c> element (also the root of a <c>/tables/NAME</c> answer).</summary>
    public static VosiTable ParseTable(XElement t)
    {
        var columns = t.Children("column").Select(c =>
        {
            var dt = c.Child("dataType");
            return new VosiColumn(c.ChildText("name") ?? "", c.ChildText("description"), c.ChildText("unit"), c.ChildText("ucd"),
                c.ChildText("utype"), dt?.Value.Trim(), dt?.Attr("arraysize"), c.ChildText("xtype") ?? dt?.Attr("extendedType"),
                c.Children("flag").Select(f => f.Value.Trim()).ToList(), string.Equals(c.Attr("std"), "true", StringComparison.OrdinalIgnoreCase));
        }).ToList();
        var keys = t.Children("foreignKey").Select(k => new VosiForeignKey(k.ChildText("targetTable") ?? "",
            k.Children("fkColumn").Select(f => (f.ChildText("fromColumn") ?? "", f.ChildText("targetColumn") ?? "")).ToList(),
            k.ChildText("description"))).ToList();
        return new VosiTable(t.ChildText("name") ?? "", t.Attr("type"), t.ChildText("title"), t.ChildText("description"), t.ChildText("utype"), columns, keys);
    }
}
