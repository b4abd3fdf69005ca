using System.Globalization;
using VoScript.Engine.Protocols.Dal;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Model;

namespace VoScript.Engine.Protocols.Tap;

/// <summary>How serious a lint finding is.</summary>
public enum LintSeverity
{
    /// <summary>Breaks the standard; clients will fail.</summary>
    Error,

    /// <summary>Allowed but likely to cause trouble.</summary>
    Warning,

    /// <summary>For information.</summary>
    Info,
}

/// <summary>One finding of <see cref="TapLint"/>: a code such as <c>E-SYN-01</c> and a message.</summary>
public sealed record LintFinding(LintSeverity Severity, string Code, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Code} {Message}";
}

/// <summary>
/// Checks a TAP service the way a script will use it, like STILTS taplint but
/// smaller: VOSI documents, a sync query, MAXREC, errors, an async job through
/// its UWS phases to deletion, and an inline upload. Codes are
/// <c>SEVERITY-AREA-NN</c> (E error, W warning, I info).
/// </summary>
public sealed class TapLint(TapService tap)
{
    private readonly List<LintFinding> _findings = [];
    private bool _unreachable;

    /// <summary>The findings so far.</summary>
    public IReadOnlyList<LintFinding> Findings => _findings;

    private void Add(LintSeverity s, string area, int n, string message) =>
        _findings.Add(new LintFinding(s, $"{"EWI"[(int)s]}-{area}-{n:00}", message));

    /// <summary>Runs the checks, calling <paramref name="onFinding"/> for each finding as it comes.</summary>
    public async Task<IReadOnlyList<LintFinding>> RunAsync(Action<LintFinding>? onFinding = null, CancellationToken ct = default)
    {
        var before = 0;
        void Flush() { for (; before < _findings.Count; before++) onFinding?.Invoke(_findings[before]); }

        var caps = await Step("CAP", () => tap.GetCapabilitiesAsync(ct)).ConfigureAwait(false);
        if (caps is not null) CheckCapabilities(caps);
        Flush();
        if (_unreachable)
        {
            Add(LintSeverity.Error, "CAP", 9, "The service does not answer; no further checks.");
            Flush();
            return _findings;
        }
        var avail = await Step("AVL", () => tap.GetAvailabilityAsync(ct), LintSeverity.Warning).ConfigureAwait(false);
        if (avail is not null)
            Add(avail.Available ? LintSeverity.Info : LintSeverity.Warning, "AVL", 2, avail.Available ? "Service says it is available." : "Service says it is NOT available: " + string.Join("; ", avail.Notes));
        Flush();
        var tables = await Step("TAB", () => tap.GetTablesAsync(ct)).ConfigureAwait(false);
        VosiTable? sample = null;
        if (tables is not null)
        {
            var all = tables.Tables.ToList();
            Add(LintSeverity.Info, "TAB", 2, $"VOSI tables lists {all.Count} tables in {tables.Schemas.Count} schemas.");
            if (all.Count == 0) Add(LintSeverity.Warning, "TAB", 3, "VOSI tables lists no table.");
            sample = all.FirstOrDefault(t => !t.Name.StartsWith("tap_schema.", StringComparison.OrdinalIgnoreCase) && !t.Name.StartsWith("rr.", StringComparison.OrdinalIgnoreCase) && t.Columns.Count > 0)
                     ?? all.FirstOrDefault(t => t.Columns.Count > 0);
            foreach (var t in all)
                if (t.Columns.Count == 0) Add(LintSeverity.Warning, "TAB", 4, $"Table {t.Name} has no columns in VOSI tables.");
            CheckVocabularies(all);
        }
        Flush();
        var table = sample?.Name ?? "TAP_SCHEMA.tables";
        await CheckSync(table, ct).ConfigureAwait(false);
        Flush();
        await CheckAsync(table, ct).ConfigureAwait(false);
        Flush();
        if (caps?.SupportsUpload("inline") == true) await CheckUpload(ct).ConfigureAwait(false);
        else Add(LintSeverity.Info, "UPL", 1, "No inline upload declared; upload not tested.");
        Flush();
        return _findings;
    }

    private async Task<T?> Step<T>(string area, Func<Task<T>> f, LintSeverity failure = LintSeverity.Error) where T : class
    {
        try
        {
            var r = await f().ConfigureAwait(false);
            Add(LintSeverity.Info, area, 1, area switch { "CAP" => "VOSI capabilities read.", "AVL" => "VOSI availability read.", _ => "VOSI tables read." });
            return r;
        }
        catch (ServiceException e)
        {
            Add(failure, area, 1, Flat(e));
            if (e.StatusCode is null) _unreachable = true;
            return null;
        }
    }

    private static string Flat(Exception e) => e.Message.Replace("\n  ", "; ");

    private void CheckCapabilities(VosiCapabilities caps)
    {
        var t = caps.Tap;
        if (t is null) { Add(LintSeverity.Error, "CAP", 2, $"No capability with standardID {Vosi.TapId}."); return; }
        var v = t.Interfaces.FirstOrDefault()?.Version;
        Add(LintSeverity.Info, "CAP", 3, v is null ? "TAP interface has no version: TAP 1.0 assumed." : $"TAP interface version {v}.");
        if (t.AccessUrl is { } u && !string.Equals(u.ToString().TrimEnd('/'), tap.BaseUrl.ToString(), StringComparison.OrdinalIgnoreCase))
            Add(LintSeverity.Warning, "CAP", 4, $"TAP access URL {u} differs from the URL used ({tap.BaseUrl}).");
        foreach (var id in new[] { Vosi.CapabilitiesId, Vosi.AvailabilityId, Vosi.TablesId })
        {
            var url = caps.AccessUrl(id);
            if (url is null) continue;
            if (!url.ToString().StartsWith(tap.BaseUrl + "/", StringComparison.OrdinalIgnoreCase))
                Add(LintSeverity.Warning, "CAP", 5, $"{id.Split('#')[1]} endpoint {url} is not under the TAP base URL (DALI wants siblings of /capabilities).");
        }
        if (!t.Languages.Any(l => l.Name.Equals("ADQL", StringComparison.OrdinalIgnoreCase)))
            Add(LintSeverity.Error, "CAP", 6, "ADQL is not declared as a language.");
        if (t.OutputLimit is { } ol)
            Add(LintSeverity.Info, "CAP", 7, string.Create(CultureInfo.InvariantCulture, $"Output limit: default {Amount(ol.Default, ol.Unit)}, hard {Amount(ol.Hard, ol.Unit)}."));
        Add(LintSeverity.Info, "CAP", 8, "Upload methods: " + (t.UploadMethods.Count == 0 ? "none" : string.Join(", ", t.UploadMethods.Select(m => m.Split('#').Last()))) + ".");
    }

    /// <summary>
    /// UCDs and units of every VOSI column, checked against the UCD1+ vocabulary (UCDList 1.6, UCD1 words translated)
    /// and VOUnits: W-UCD-01 a UCD not understood, I-UCD-02 UCD1 or deprecated words that VoScript translates,
    /// W-UNI-01 a unit not understood, I-UNI-02 units in non-standard spellings that VoScript reads. One line per column.
    /// </summary>
    private void CheckVocabularies(IReadOnlyList<VosiTable> tables)
    {
        int unknownUcd = 0, translated = 0, unknownUnit = 0, respelled = 0;
        foreach (var t in tables)
            foreach (var c in t.Columns)
            {
                if (!string.IsNullOrWhiteSpace(c.Ucd))
                {
                    var a = Model.Ucds.Ucds.Analyze(c.Ucd);
                    if (a.Problems.Count > 0) { unknownUcd++; Add(LintSeverity.Warning, "UCD", 1, $"{t.Name}.{c.Name}: UCD '{c.Ucd}' not understood: {string.Join("; ", a.Problems)}."); }
                    else if (a.HadUcd1 || a.Deprecated.Count > 0) { translated++; Add(LintSeverity.Info, "UCD", 2, $"{t.Name}.{c.Name}: UCD '{c.Ucd}' is read as {a.Ucd}{(a.Inferred ? " (inferred from the UCD1 family)" : "")}."); }
                }
                if (!string.IsNullOrWhiteSpace(c.Unit) && !Model.Units.Angles.IsSexagesimalUnit(c.Unit))
                {
                    var u = Model.Units.VoUnits.Parse(c.Unit);
                    if (!u.Ok) { unknownUnit++; Add(LintSeverity.Warning, "UNI", 1, $"{t.Name}.{c.Name}: unit '{c.Unit}' not understood: {u.Error}."); }
                    else if (!u.IsStandard) { respelled++; Add(LintSeverity.Info, "UNI", 2, $"{t.Name}.{c.Name}: unit '{c.Unit}' is not a VOUnit; read as {(u.Canonical is { Length: > 0 } k ? k : "1")} ({string.Join("; ", u.Notes)})."); }
                }
            }
        Add(LintSeverity.Info, "UCD", 3, $"UCDs: {unknownUcd} not understood, {translated} UCD1 or deprecated; units: {unknownUnit} not understood, {respelled} not VOUnits.");
    }

    /// <summary>"20000000 rows", "1 row", "-" (none given): TAPRegExt units are singular words (row, byte).</summary>
    internal static string Amount(long? n, string? unit)
    {
        if (n is not { } v) return "-";
        var u = (unit ?? "").Trim();
        if (u.Length > 0 && v != 1 && u is "row" or "byte") u += "s";
        return string.Create(CultureInfo.InvariantCulture, $"{v}{(u.Length > 0 ? " " + u : "")}");
    }

    private async Task CheckSync(string table, CancellationToken ct)
    {
        try
        {
            var r = await tap.QueryAsync(new TapQuery($"SELECT TOP 3 * FROM {table}"), ct).ConfigureAwait(false);
            Add(LintSeverity.Info, "SYN", 1, $"Sync query on {table} returned {r.Table.RowCount} rows, {r.Table.ColumnCount} columns.");
            if (r.Table.RowCount > 3) Add(LintSeverity.Error, "SYN", 2, $"TOP 3 returned {r.Table.RowCount} rows.");
            if (r.Table.QueryStatus is null) Add(LintSeverity.Warning, "SYN", 3, "The result has no QUERY_STATUS INFO.");
            if (r.Table.RowCount >= 2)
            {
                // Raw rows as the service sent them (TapService trims extra rows, lint must see them).
                foreach (var (adql, severity, n) in new[] { ($"SELECT * FROM {table}", LintSeverity.Error, 1), ($"SELECT TOP 3 * FROM {table}", LintSeverity.Warning, 4) })
                {
                    var m = await tap.QueryAsync(new TapQuery(adql) { MaxRec = 1 }, ct).ConfigureAwait(false);
                    var extra = m.Warnings.FirstOrDefault(w => w.StartsWith("The service returned ", StringComparison.Ordinal));
                    if (extra is not null) Add(severity, "MRC", n, $"MAXREC=1 on \"{adql}\": {extra}");
                    else if (!m.Truncated) Add(LintSeverity.Warning, "MRC", 2, $"MAXREC=1 on \"{adql}\" cut the result but QUERY_STATUS does not say OVERFLOW.");
                    else Add(LintSeverity.Info, "MRC", 3, $"MAXREC=1 on \"{adql}\" honoured, with OVERFLOW.");
                }
            }
        }
        catch (ServiceException e)
        {
            Add(LintSeverity.Error, "SYN", 1, "Sync query failed: " + Flat(e));
        }
        try
        {
            await tap.QueryAsync(new TapQuery("SELECT no_such_column_voscript FROM " + table), ct).ConfigureAwait(false);
            Add(LintSeverity.Error, "ERR", 1, "A query on a missing column did not fail.");
        }
        catch (ServiceQueryException e)
        {
            Add(LintSeverity.Info, "ERR", 2, $"Bad ADQL gives an error document (HTTP {e.StatusCode}): {e.ServiceMessage}");
        }
        catch (ServiceException e)
        {
            Add(LintSeverity.Warning, "ERR", 3, "Bad ADQL gives no DALI error document: " + Flat(e));
        }
    }

    private async Task CheckAsync(string table, CancellationToken ct)
    {
        TapAsyncJob? job = null;
        try
        {
            job = await tap.SubmitAsync(new TapQuery($"SELECT TOP 3 * FROM {table}"), ct).ConfigureAwait(false);
            Add(LintSeverity.Info, "ASY", 1, $"Job created: {job.Url}");
            if (!job.Url.ToString().StartsWith(tap.BaseUrl + "/async/", StringComparison.OrdinalIgnoreCase))
                Add(LintSeverity.Info, "ASY", 2, "The job URL is not under /async (allowed; clients must follow Location).");
            var first = await job.GetInfoAsync(null, ct).ConfigureAwait(false);
            if (first.Phase != UwsPhase.Pending) Add(LintSeverity.Warning, "ASY", 3, $"A new job is in phase {first.PhaseText}, not PENDING.");
            if (first.Version is null) Add(LintSeverity.Info, "ASY", 4, "Job document has no version: UWS 1.0 (no blocking WAIT).");
            await job.StartAsync(ct).ConfigureAwait(false);
            var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
            var info = await job.WaitAsync(deadline, new AsyncJobOptions(), ct).ConfigureAwait(false);
            if (info.Phase != UwsPhase.Completed) Add(LintSeverity.Error, "ASY", 5, $"The job ended in {info.PhaseText}.");
            else
            {
                if (info.Results.Count == 0) Add(LintSeverity.Warning, "ASY", 6, "The completed job document lists no results.");
                else if (!info.Results.Any(r => r.Id == "result")) Add(LintSeverity.Warning, "ASY", 7, "No result is named 'result' (TAP §3.2).");
                var r = await job.FetchResultAsync(info, ct).ConfigureAwait(false);
                Add(LintSeverity.Info, "ASY", 8, $"Async result has {r.Table.RowCount} rows.");
            }
        }
        catch (TapTimeoutException)
        {
            Add(LintSeverity.Error, "ASY", 9, "A trivial async job did not finish within 2 minutes.");
        }
        catch (ServiceException e)
        {
            Add(LintSeverity.Error, "ASY", 10, "Async query failed: " + Flat(e));
        }
        finally
        {
            if (job is not null)
            {
                try
                {
                    if (await job.DeleteAsync(ct).ConfigureAwait(false))
                    {
                        try
                        {
                            await job.GetInfoAsync(null, ct).ConfigureAwait(false);
                            Add(LintSeverity.Error, "ASY", 11, "The job still exists after DELETE.");
                        }
                        catch (ServiceException e) when (e.StatusCode is 404 or 410)
                        {
                            Add(LintSeverity.Info, "ASY", 12, $"DELETE removed the job (then HTTP {e.StatusCode}).");
                        }
                    }
                    else Add(LintSeverity.Error, "ASY", 13, "The service refused to delete the job.");
                }
                catch (ServiceException e)
                {
                    Add(LintSeverity.Error, "ASY", 13, "Deleting the job failed: " + Flat(e));
                }
            }
        }
    }

    private async Task CheckUpload(CancellationToken ct)
    {
        var t = new Table("lint");
        t.AddColumn(new ScalarColumn<int>(new Field("n", DataType.Int), [1, 2, 3]));
        t.AddColumn(new StringColumn(new Field("s", DataType.Char, ArraySize.Variable), ["a", "b", "c"]));
        try
        {
            var r = await tap.QueryAsync(new TapQuery("SELECT n, s FROM TAP_UPLOAD.lint WHERE n > 1") { Uploads = [TapUpload.Inline("lint", t)] }, ct).ConfigureAwait(false);
            if (r.Table.RowCount == 2) Add(LintSeverity.Info, "UPL", 2, "Inline upload works.");
            else Add(LintSeverity.Error, "UPL", 3, $"Inline upload query gave {r.Table.RowCount} rows, expected 2.");
        }
        catch (ServiceException e)
        {
            Add(LintSeverity.Error, "UPL", 4, "Inline upload failed: " + Flat(e));
        }
    }
}
