using VoScript.Engine;
using VoScript.Adql;
using VoScript.Engine.Model;

namespace VoScript.Server.Tap;

/// <summary>Runs one TAP query (sync or a job): checks parameters, resolves uploads, asks the store, maps its errors to messages.</summary>
internal sealed class QueryRunner(ITableStore store, TapServiceOptions options, Uploads uploads)
{
    public TapServiceOptions Options => options;

    /// <summary>Runs the query; a <see cref="TapRequestException"/> says what the user has to change.</summary>
    public async Task<(QueryResult Result, ResultFormat Format)> RunAsync(TapParameters parameters, CancellationToken ct)
    {
        var q = TapQueryParser.Parse(parameters, options);
        Dictionary<string, Table> tables = q.Uploads.Count == 0 ? [] : await uploads.ResolveAsync(q.Uploads, parameters, ct).ConfigureAwait(false);
        try
        {
            var result = await store.ExecuteAsync(q.Adql, tables, q.MaxRec, ct).ConfigureAwait(false);
            return (result, q.Format);
        }
        catch (AdqlException e)
        {
            // the store's messages mostly say where already ("… (line 1, column 8)"); say it once
            var where = $"line {e.Line}, column {e.Column}";
            throw new TapRequestException(e.Message.Contains(where, StringComparison.Ordinal) ? $"ADQL error: {e.Message}" : $"ADQL error at {where}: {e.Message}");
        }
        catch (VoScriptException e)
        {
            throw new TapRequestException(e.Message);
        }
    }
}
