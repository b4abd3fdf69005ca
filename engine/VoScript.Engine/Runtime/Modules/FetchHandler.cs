using System.Globalization;
using VoScript.Engine.Protocols.Products;

namespace VoScript.Engine.Runtime.Modules;

/// <summary>Downloads the data products a table points at into a folder (<c>fetch T [column C] to "DIR/" [as NAME]</c>).</summary>
public sealed record FetchStep : PlanStep
{
    /// <summary>The table with the product URLs.</summary>
    public required string Table { get; init; }
    /// <summary>The column of URLs; null: found by name, utype, UCD or xtype (<see cref="ProductColumns.Find"/>).</summary>
    public string? Column { get; init; }
    /// <summary>The directory the files go to.</summary>
    public required string Directory { get; init; }
    /// <summary>The result table: the rows of <see cref="Table"/> with path, size, status and error.</summary>
    public required string Output { get; init; }
    /// <summary>Files that cannot be downloaded are warnings (and rows with an error) instead of failing the step, unless the run is strict.</summary>
    public bool ContinueOnServiceError { get; init; }

    /// <inheritdoc/>
    public override string Kind => "fetch";
    /// <inheritdoc/>
    public override IEnumerable<string> Outputs => [Output];
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [Table];
    /// <inheritdoc/>
    public override bool IsRemote => true;
    /// <inheritdoc/>
    public override string Describe() =>
        $"fetch {Table}" + (Column is null ? "" : " column " + Column) + " to " + new StringValue(Directory).ToCanonical() + " as " + Output
        + (ContinueOnServiceError ? " on error continue" : "");
}

internal sealed class FetchHandler(ProtocolHandlerOptions options) : StepHandler<FetchStep>
{
    public override async Task ExecuteAsync(FetchStep f, StepContext context, CancellationToken cancellationToken)
    {
        var table = context.Workspace.GetTable(f.Table);
        var columns = ProductColumns.Find(table, f.Column);
        using var http = ProtocolHandlers.ClientFor(context, options, f.Table);
        var downloader = new ProductDownloader(http, new ProductFetchOptions { Parallelism = options.FetchParallelism });
        downloader.Progress += m => context.Progress(m);
        var results = await downloader.FetchAsync(table, columns, context.ResolvePath(f.Directory), cancellationToken).ConfigureAwait(false);
        var result = ProductDownloader.ResultTable(f.Output, table, results);
        context.Workspace.SetTable(f.Output, result);
        var failed = results.Where(r => r.Status == FetchStatus.Failed).ToList();
        var bytes = results.Sum(r => r.Size ?? 0);
        context.Progress($"{f.Output}: {(results.Count - failed.Count).ToString(CultureInfo.InvariantCulture)} of {results.Count.ToString(CultureInfo.InvariantCulture)} files in {f.Directory} ({ProductDownloader.FormatSize(bytes)})",
            rows: result.RowCount);
        if (failed.Count == 0) return;
        var list = string.Join("; ", failed.Take(5).Select(r => $"row {(r.Row + 1).ToString(CultureInfo.InvariantCulture)}: {r.Error}"))
            + (failed.Count > 5 ? $"; and {(failed.Count - 5).ToString(CultureInfo.InvariantCulture)} more (see the error column of {f.Output})" : "");
        var summary = $"{failed.Count.ToString(CultureInfo.InvariantCulture)} of {results.Count.ToString(CultureInfo.InvariantCulture)} files could not be downloaded: {list}";
        if (!f.ContinueOnServiceError)
            throw new VoScriptException(summary + " (add 'on error continue' to keep the others)");
        if (context.Options.Strict)
            throw new VoScriptException(summary + " (the fetch says 'on error continue', but the run is strict)");
        context.Warning(summary);
    }
}
