using System.Text;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Protocols.Tap;
using VoScript.Engine.Model;

namespace VoScript.Engine.Protocols.Registry;

/// <summary>Kinds of services the Registry is searched for.</summary>

/// <summary>A Registry search: every condition given must hold.</summary>
public sealed record RegistryQuery
{
    /// <summary>Kinds of service wanted; empty = TAP, SCS, SIA2 and SSA.</summary>
    public IReadOnlyList<ServiceProtocol> Kinds { get; init; } = [];

    /// <summary>A table the resource must declare, e.g. <c>ivoa.obscore</c> (case-insensitive).</summary>
    public string? TableName { get; init; }

    /// <summary>Words that must each appear in the title, description or subjects.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>A VODataService waveband (radio, millimeter, infrared, optical, uv, euv, x-ray, gamma-ray).</summary>
    public string? Waveband { get; init; }

    /// <summary>A data model the TAP capability must declare (prefix of its ivo-id, e.g. ivo://ivoa.net/std/obscore).</summary>
    public string? DataModel { get; init; }

    /// <summary>Services returned at most.</summary>
    public int MaxResults { get; init; } = 1000;
}

/// <summary>One service capability found in the Registry.</summary>
public sealed record RegistryService(
    string Ivoid, ServiceProtocol Kind, string StandardId, Uri AccessUrl, string? Title, string? ShortName,
    string? Description, IReadOnlyList<string> Wavebands, string? ResourceType);

/// <summary>
/// Searches a RegTAP 1.1 registry (a TAP service with the <c>rr</c> schema) for
/// TAP, SCS, SIA2 and SSA services. Results are de-duplicated by IVOID and
/// capability (one access URL per pair, https and unauthenticated preferred).
/// </summary>
public sealed class RegistryClient
{
    /// <summary>The usual public RegTAP endpoint (the one pyvo uses by default).</summary>
    public const string DefaultRegistryUrl = "http://reg.g-vo.org/tap";

    /// <summary>A client of the RegTAP service <paramref name="registry"/>.</summary>
    public RegistryClient(TapService registry) => Registry = registry;

    /// <summary>A client of the RegTAP service at <paramref name="registryUrl"/> (the default registry when null).</summary>
    public RegistryClient(VoHttpClient http, string? registryUrl = null)
        : this(new TapService(registryUrl ?? DefaultRegistryUrl, http)) { }

    /// <summary>The registry's TAP service.</summary>
    public TapService Registry { get; }

    /// <summary>The RegTAP standard_id pattern of a protocol.</summary>
    public static string StandardIdPattern(ServiceProtocol k) => k switch
    {
        ServiceProtocol.Tap => "ivo://ivoa.net/std/tap%",
        ServiceProtocol.Scs => "ivo://ivoa.net/std/conesearch%",
        ServiceProtocol.Sia => "ivo://ivoa.net/std/sia#query-2.%",
        ServiceProtocol.Ssa => "ivo://ivoa.net/std/ssa%",
        _ => throw new ArgumentOutOfRangeException(nameof(k)),
    };

    /// <summary>The ADQL sent for <paramref name="q"/> (lower-case literals for the normalised columns, RegTAP §4.3).</summary>
    public static string BuildAdql(RegistryQuery q)
    {
        var kinds = q.Kinds.Count == 0 ? [ServiceProtocol.Tap, ServiceProtocol.Scs, ServiceProtocol.Sia, ServiceProtocol.Ssa] : q.Kinds.Distinct().ToArray();
        var sb = new StringBuilder();
        sb.Append("SELECT r.ivoid, r.res_type, r.short_name, r.res_title, r.res_description, r.waveband, ")
          .Append("c.standard_id, i.access_url, i.url_use, i.authenticated_only\n")
          .Append("FROM rr.resource AS r\n")
          .Append("JOIN rr.capability AS c ON c.ivoid = r.ivoid\n")
          .Append("JOIN rr.interface AS i ON i.ivoid = c.ivoid AND i.cap_index = c.cap_index\n")
          .Append("WHERE i.intf_role = 'std'\n  AND (")
          .Append(string.Join(" OR ", kinds.Select(k => $"c.standard_id LIKE {Lit(StandardIdPattern(k))}")))
          .Append(")\n");
        if (!string.IsNullOrWhiteSpace(q.TableName))
            sb.Append("  AND r.ivoid IN (SELECT t.ivoid FROM rr.res_table AS t WHERE 1 = ivo_nocasematch(t.table_name, ")
              .Append(Lit(q.TableName.Trim())).Append("))\n");
        foreach (var kw in q.Keywords.Where(k => !string.IsNullOrWhiteSpace(k)))
        {
            var w = kw.Trim();
            sb.Append("  AND (1 = ivo_hasword(r.res_description, ").Append(Lit(w)).Append(')')
              .Append(" OR 1 = ivo_hasword(r.res_title, ").Append(Lit(w)).Append(')')
              .Append(" OR r.ivoid IN (SELECT s.ivoid FROM rr.res_subject AS s WHERE 1 = ivo_nocasematch(s.res_subject, ")
              .Append(Lit("%" + w + "%")).Append(")))\n");
        }
        if (!string.IsNullOrWhiteSpace(q.Waveband))
            sb.Append("  AND 1 = ivo_hashlist_has(r.waveband, ").Append(Lit(q.Waveband.Trim().ToLowerInvariant())).Append(")\n");
        if (!string.IsNullOrWhiteSpace(q.DataModel))
            sb.Append("  AND r.ivoid IN (SELECT d.ivoid FROM rr.res_detail AS d WHERE d.detail_xpath = '/capability/dataModel/@ivo-id'")
              .Append(" AND 1 = ivo_nocasematch(d.detail_value, ").Append(Lit(q.DataModel.Trim() + "%")).Append("))\n");
        sb.Append("ORDER BY r.ivoid, c.standard_id");
        return sb.ToString();
    }

    /// <summary>ADQL string literal with quotes doubled.</summary>
    public static string Lit(string s) => "'" + s.Replace("'", "''") + "'";

    /// <summary>Searches the registry.</summary>
    public async Task<IReadOnlyList<RegistryService>> SearchAsync(RegistryQuery query, CancellationToken ct = default)
    {
        var result = await Registry.QueryAsync(new TapQuery(BuildAdql(query)) { MaxRec = Math.Max(1, query.MaxResults) * 4L }, ct).ConfigureAwait(false);
        return FromTable(result.Table, query.MaxResults);
    }

    /// <summary>Turns the rows of <see cref="BuildAdql"/> into services, de-duplicated by IVOID and capability.</summary>
    public static IReadOnlyList<RegistryService> FromTable(Table t, int max = int.MaxValue)
    {
        Column Col(string n) => t.FindColumn(n) ?? throw new VoScriptException($"The registry's answer has no column '{n}'; is this a RegTAP 1.1 service?");
        var ivoid = Col("ivoid"); var rtype = Col("res_type"); var sname = Col("short_name"); var title = Col("res_title");
        var desc = Col("res_description"); var wave = Col("waveband"); var std = Col("standard_id"); var url = Col("access_url");
        var auth = t.FindColumn("authenticated_only");
        var best = new Dictionary<(string, string), (RegistryService Svc, int Score)>();
        var order = new List<(string, string)>();
        for (var r = 0; r < t.RowCount; r++)
        {
            var id = ivoid.FormatCell(r).Trim();
            var sid = std.FormatCell(r).Trim().ToLowerInvariant();
            var u = url.FormatCell(r).Trim();
            if (id.Length == 0 || !Uri.TryCreate(u, UriKind.Absolute, out var uri)) continue;
            var kind = KindOf(sid);
            if (kind is null) continue;
            var score = (uri.Scheme == "https" ? 2 : 0) + (auth is null || auth.GetDouble(r) is 0 or double.NaN ? 4 : 0);
            var svc = new RegistryService(id, kind.Value, sid, uri, Null(title.FormatCell(r)), Null(sname.FormatCell(r)), Null(desc.FormatCell(r)),
                wave.FormatCell(r).Split('#', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), Null(rtype.FormatCell(r)));
            var key = (id.ToLowerInvariant(), sid);
            if (best.TryGetValue(key, out var prev))
            {
                if (score > prev.Score) best[key] = (svc, score);
            }
            else
            {
                best[key] = (svc, score);
                order.Add(key);
            }
        }
        return order.Take(max).Select(k => best[k].Svc).ToList();
    }

    private static ServiceProtocol? KindOf(string standardId)
    {
        if (standardId.StartsWith("ivo://ivoa.net/std/tap", StringComparison.Ordinal)) return ServiceProtocol.Tap;
        if (standardId.StartsWith("ivo://ivoa.net/std/conesearch", StringComparison.Ordinal)) return ServiceProtocol.Scs;
        if (standardId.StartsWith("ivo://ivoa.net/std/sia#query-2.", StringComparison.Ordinal)) return ServiceProtocol.Sia;
        if (standardId.StartsWith("ivo://ivoa.net/std/ssa", StringComparison.Ordinal)) return ServiceProtocol.Ssa;
        return null;
    }

    private static string? Null(string s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
