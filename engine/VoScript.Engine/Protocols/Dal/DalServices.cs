using System.Globalization;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Model;

namespace VoScript.Engine.Protocols.Dal;

/// <summary>The table a DAL search returned; <see cref="Truncated"/> when QUERY_STATUS said OVERFLOW.</summary>
internal sealed record DalResult(Table Table, Uri Url, bool Truncated);

/// <summary>Shared plumbing of the parameter-query DAL services.</summary>
internal abstract class DalService
{
    protected DalService(Uri baseUrl, VoHttpClient http, string kind)
    {
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != "http" && baseUrl.Scheme != "https"))
            throw new VoScriptException($"'{baseUrl}' is not an http(s) URL of a {kind} service.");
        BaseUrl = baseUrl;
        Http = http;
        Kind = kind;
    }

    public Uri BaseUrl { get; }
    public VoHttpClient Http { get; }
    protected string Kind { get; }

    /// <summary>GETs <see cref="BaseUrl"/> with the parameters and reads the VOTable (one repeat when the body is cut).</summary>
    protected async Task<DalResult> GetTableAsync(IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken ct)
    {
        var url = VoRequest.AppendQuery(BaseUrl, parameters);
        for (var attempt = 0; ; attempt++)
        {
            using var resp = await Http.SendAsync(VoRequest.Get(url), ct).ConfigureAwait(false);
            try
            {
                var t = await DalResponseReader.ReadTableAsync(resp, Kind + " query", ct).ConfigureAwait(false);
                Http.Raise(new RowsReceived(resp.Url, t.RowCount));
                return new DalResult(t, resp.Url, DalResponseReader.IsOverflow(t));
            }
            catch (ServiceException e) when (e.IsBodyFailure && attempt < Math.Min(2, Http.Options.MaxRetries))
            {
                Http.Raise(new ProtocolNotice($"{e.Summary} Repeating the query."));
            }
        }
    }

    internal static string Num(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    internal static void CheckPosition(double ra, double dec)
    {
        if (!(ra >= 0 && ra <= 360) || !(dec >= -90 && dec <= 90))
            throw new VoScriptException($"Position RA={Num(ra)}, Dec={Num(dec)} is outside RA 0..360, Dec -90..90 (degrees, ICRS).");
    }
}

/// <summary>Simple Cone Search 1.03 (and the 1.1 draft's MAXREC).</summary>
internal sealed class ConeSearchService(Uri baseUrl, VoHttpClient http) : DalService(baseUrl, http, "Cone search")
{
    /// <summary>Objects within <paramref name="radiusDeg"/> of (ra, dec), ICRS degrees. An empty cone is not an error.</summary>
    public Task<DalResult> SearchAsync(double ra, double dec, double radiusDeg, int? verb = null, long? maxRec = null, CancellationToken ct = default)
    {
        CheckPosition(ra, dec);
        if (!(radiusDeg >= 0 && radiusDeg <= 180))
            throw new VoScriptException($"Cone search radius {Num(radiusDeg)} deg is outside 0..180.");
        var p = new List<KeyValuePair<string, string>> { new("RA", Num(ra)), new("DEC", Num(dec)), new("SR", Num(radiusDeg)) };
        if (verb is { } v) p.Add(new("VERB", v.ToString(CultureInfo.InvariantCulture)));
        if (maxRec is { } m) p.Add(new("MAXREC", m.ToString(CultureInfo.InvariantCulture)));
        return GetTableAsync(p, ct);
    }
}

/// <summary>An SIA 2.0 query: each given constraint is sent (ranges space-separated, SIA §2.1).</summary>
internal sealed record Sia2Query
{
    /// <summary>POS values, e.g. from <see cref="Circle"/>: <c>CIRCLE ra dec r</c>, <c>RANGE …</c>, <c>POLYGON …</c>.</summary>
    public IReadOnlyList<string> Pos { get; init; } = [];
    /// <summary>Wavelength range in metres (null end = open).</summary>
    public (double? Min, double? Max)? Band { get; init; }
    /// <summary>Time range in MJD.</summary>
    public (double? Min, double? Max)? Time { get; init; }
    public IReadOnlyList<string> Collection { get; init; } = [];
    public IReadOnlyList<string> Facility { get; init; } = [];
    public IReadOnlyList<string> Instrument { get; init; } = [];
    /// <summary>DPTYPE: image or cube.</summary>
    public IReadOnlyList<string> DataProductType { get; init; } = [];
    public IReadOnlyList<int> CalibLevel { get; init; } = [];
    public IReadOnlyList<string> Target { get; init; } = [];
    public IReadOnlyList<string> Id { get; init; } = [];
    public long? MaxRec { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Extra { get; init; } = [];

    public static string Circle(double ra, double dec, double radiusDeg)
    {
        DalService.CheckPosition(ra, dec);
        return $"CIRCLE {DalService.Num(ra)} {DalService.Num(dec)} {DalService.Num(radiusDeg)}";
    }

    internal static string Range(double? lo, double? hi) =>
        (lo is { } l ? DalService.Num(l) : "-Inf") + " " + (hi is { } h ? DalService.Num(h) : "+Inf");

    internal List<KeyValuePair<string, string>> Parameters()
    {
        var p = new List<KeyValuePair<string, string>>();
        void Add(string n, IEnumerable<string> vs) { foreach (var v in vs) p.Add(new(n, v)); }
        Add("POS", Pos);
        if (Band is { } b) p.Add(new("BAND", Range(b.Min, b.Max)));
        if (Time is { } t) p.Add(new("TIME", Range(t.Min, t.Max)));
        Add("COLLECTION", Collection); Add("FACILITY", Facility); Add("INSTRUMENT", Instrument);
        Add("DPTYPE", DataProductType); Add("CALIB", CalibLevel.Select(c => c.ToString(CultureInfo.InvariantCulture)));
        Add("TARGET", Target); Add("ID", Id);
        if (MaxRec is { } m) p.Add(new("MAXREC", m.ToString(CultureInfo.InvariantCulture)));
        p.AddRange(Extra);
        return p;
    }
}

/// <summary>SIA 2.0 {query} endpoint; results are ObsCore-like rows.</summary>
internal sealed class Sia2Service(Uri queryUrl, VoHttpClient http) : DalService(queryUrl, http, "SIA2")
{
    public Task<DalResult> SearchAsync(Sia2Query query, CancellationToken ct = default) => GetTableAsync(query.Parameters(), ct);
}

/// <summary>An SSA 1.1 queryData request (ranges with '/', SSA §8.7).</summary>
internal sealed record SsaQuery
{
    public double? Ra { get; init; }
    public double? Dec { get; init; }
    /// <summary>SIZE: diameter in degrees.</summary>
    public double? Size { get; init; }
    /// <summary>BAND in metres (null end = open), or a band name in <see cref="BandName"/>.</summary>
    public (double? Min, double? Max)? Band { get; init; }
    public string? BandName { get; init; }
    /// <summary>TIME as ISO 8601 range text, e.g. <c>1998-05-21/1999</c>.</summary>
    public string? Time { get; init; }
    /// <summary>FORMAT: all, compliant, native, votable, fits, metadata or MIME types.</summary>
    public string? Format { get; init; }
    public string? TargetName { get; init; }
    public long? MaxRec { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Extra { get; init; } = [];

    internal List<KeyValuePair<string, string>> Parameters()
    {
        var p = new List<KeyValuePair<string, string>> { new("REQUEST", "queryData"), new("VERSION", "1.1") };
        if (Ra is { } ra && Dec is { } dec)
        {
            DalService.CheckPosition(ra, dec);
            p.Add(new("POS", DalService.Num(ra) + "," + DalService.Num(dec)));
        }
        if (Size is { } s) p.Add(new("SIZE", DalService.Num(s)));
        if (Band is { } b) p.Add(new("BAND", (b.Min is { } lo ? DalService.Num(lo) : "") + "/" + (b.Max is { } hi ? DalService.Num(hi) : "")));
        else if (BandName is { } bn) p.Add(new("BAND", bn));
        if (Time is { } t) p.Add(new("TIME", t));
        if (Format is { } f) p.Add(new("FORMAT", f));
        if (TargetName is { } tn) p.Add(new("TARGETNAME", tn));
        if (MaxRec is { } m) p.Add(new("MAXREC", m.ToString(CultureInfo.InvariantCulture)));
        p.AddRange(Extra);
        return p;
    }
}

/// <summary>SSA 1.1 service.</summary>
internal sealed class SsaService(Uri baseUrl, VoHttpClient http) : DalService(baseUrl, http, "SSA")
{
    public Task<DalResult> SearchAsync(SsaQuery query, CancellationToken ct = default) => GetTableAsync(query.Parameters(), ct);

    /// <summary>The column with an SSA utype ending in <paramref name="suffix"/> (case-insensitive, any prefix), e.g. <c>Access.Reference</c>.</summary>
    public static Column? FindByUtype(Table t, string suffix) =>
        t.Columns.FirstOrDefault(c => c.Field.Utype is { } u && u.EndsWith(suffix, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One row of a DataLink {links} response (DataLink 1.1 §3.2).</summary>
internal sealed record DataLinkRow(string Id, Uri? AccessUrl, string? ServiceDef, string? ErrorMessage, string? Description,
    string? Semantics, string? ContentType, long? ContentLength);

/// <summary>A DataLink {links} response: the table and its typed rows.</summary>
internal sealed record DataLinkResult(Table Table, IReadOnlyList<DataLinkRow> Rows, bool Truncated)
{
    /// <summary>The links with the given semantics (<c>#this</c>, <c>#preview</c>, …).</summary>
    public IEnumerable<DataLinkRow> WithSemantics(string semantics) =>
        Rows.Where(r => string.Equals(r.Semantics, semantics, StringComparison.OrdinalIgnoreCase));
}

/// <summary>DataLink 1.1 {links} endpoint.</summary>
internal sealed class DataLinkService(Uri linksUrl, VoHttpClient http) : DalService(linksUrl, http, "DataLink")
{
    public async Task<DataLinkResult> GetLinksAsync(IEnumerable<string> ids, CancellationToken ct = default)
    {
        var p = ids.Select(i => new KeyValuePair<string, string>("ID", i)).ToList();
        if (p.Count == 0) throw new VoScriptException("A DataLink request needs at least one ID.");
        var r = await GetTableAsync(p, ct).ConfigureAwait(false);
        return new DataLinkResult(r.Table, ParseRows(r.Table), r.Truncated);
    }

    /// <summary>The links at <see cref="DalService.BaseUrl"/> as it is: a URL that already names its IDs (an ObsCore access_url of a DataLink service).</summary>
    public async Task<DataLinkResult> GetLinksAtUrlAsync(CancellationToken ct = default)
    {
        var r = await GetTableAsync([], ct).ConfigureAwait(false);
        return new DataLinkResult(r.Table, ParseRows(r.Table), r.Truncated);
    }

    public static IReadOnlyList<DataLinkRow> ParseRows(Table t)
    {
        var id = t.FindColumn("ID") ?? throw new VoScriptException("The DataLink response has no ID column; is this a DataLink {links} endpoint?");
        var au = t.FindColumn("access_url"); var sd = t.FindColumn("service_def"); var em = t.FindColumn("error_message");
        var de = t.FindColumn("description"); var se = t.FindColumn("semantics"); var ctp = t.FindColumn("content_type");
        var cl = t.FindColumn("content_length");
        static string? S(Column? c, int r) => c is null || c.IsNull(r) ? null : (c.FormatCell(r) is { Length: > 0 } s ? s.Trim() : null);
        var rows = new List<DataLinkRow>(t.RowCount);
        for (var r = 0; r < t.RowCount; r++)
        {
            var a = S(au, r);
            var len = cl is null || cl.IsNull(r) ? (long?)null : (long.TryParse(cl.FormatCell(r), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null);
            rows.Add(new DataLinkRow(S(id, r) ?? "", a is not null && Uri.TryCreate(a, UriKind.Absolute, out var u) ? u : null,
                S(sd, r), S(em, r), S(de, r), S(se, r), S(ctp, r), len));
        }
        return rows;
    }
}
