using System.Globalization;
using VoScript.Engine.Protocols.Tap;
using VoScript.Engine.Science.RemoteMatch;

namespace VoScript.Engine.Runtime.Modules;

// match T with SERVICE table "schema.table" … (issue #20): the step, its handler and module. The work is done by
// Protocols/Tap/RemoteMatch/ (block planning, the blocks' ADQL, running them, merging the pairs).

/// <summary><c>match T with SERVICE table "schema.table" [columns …] [positions RA, DEC] within ANGLE [best for T | all] [block N] [parallel N] as NAME</c>.</summary>
public sealed record RemoteMatchStep : PlanStep
{
    /// <summary>The local table.</summary>
    public required string Table { get; init; }
    /// <summary>The TAP service.</summary>
    public required string Service { get; init; }
    /// <summary>The table on the service.</summary>
    public required string RemoteTable { get; init; }
    /// <summary>The remote columns kept (all when null).</summary>
    public IReadOnlyList<string>? Columns { get; init; }
    /// <summary>The local RA column (found by UCD when null).</summary>
    public string? RaColumn { get; init; }
    /// <summary>The local Dec column (found by UCD when null).</summary>
    public string? DecColumn { get; init; }
    /// <summary>The match radius in degrees.</summary>
    public required double WithinDegrees { get; init; }
    /// <summary>Which pairs to keep.</summary>
    public RemoteMatchMode Mode { get; init; } = RemoteMatchMode.BestForTable;
    /// <summary>Rows per uploaded block (chosen when null).</summary>
    public int? Block { get; init; }
    /// <summary>Blocks run at once.</summary>
    public int Parallel { get; init; } = RemoteMatchRequest.DefaultParallel;
    /// <summary>The workspace name of the result.</summary>
    public required string Output { get; init; }

    /// <inheritdoc/>
    public override string Kind => "match-remote";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [Table];
    /// <inheritdoc/>
    public override IEnumerable<string> Outputs => [Output];
    /// <inheritdoc/>
    public override IEnumerable<string> Services => [Service];
    /// <inheritdoc/>
    public override bool IsRemote => true;

    /// <inheritdoc/>
    public override string Describe() =>
        $"match {Table} with {Service} table \"{RemoteTable}\"" + (Columns is null ? "" : $" columns {string.Join(", ", Columns.Select(RemoteMatchAdql.Identifier))}")
        + (RaColumn is null ? "" : $" positions {RemoteMatchAdql.Identifier(RaColumn)}, {RemoteMatchAdql.Identifier(DecColumn!)}")
        + $" within {(WithinDegrees * 3600).ToString("R", CultureInfo.InvariantCulture)} arcsec "
        + (Mode == RemoteMatchMode.All ? "all" : $"best for {Table}")
        + (Block is { } b ? $" block {b.ToString(CultureInfo.InvariantCulture)}" : "")
        + $" parallel {Parallel.ToString(CultureInfo.InvariantCulture)} as {Output}";

    /// <summary>The block size and the ADQL of one block, as far as they are known before the service is asked.</summary>
    public override IEnumerable<string> Details()
    {
        yield return Block is { } b
            ? string.Create(CultureInfo.InvariantCulture, $"blocks of {b} rows of {Table} (fewer if the service's upload limit says so), {Parallel} jobs at once; the number of blocks is known at run time")
            : string.Create(CultureInfo.InvariantCulture, $"blocks of at most {BlockPlanner.DefaultBlockSize} rows of {Table} (fewer if the service's upload or output limit says so), {Parallel} jobs at once; the number of blocks is known at run time");
        var positions = RaColumn is null ? " (RA, DEC: the position columns found in the service's metadata at run time)" : "";
        yield return $"ADQL of each block{positions}:";
        foreach (var line in RemoteMatchAdql.Block(RemoteTable, Columns?.Select(RemoteMatchAdql.Identifier).ToList(),
                     RaColumn is null ? "RA" : RemoteMatchAdql.Identifier(RaColumn), DecColumn is null ? "DEC" : RemoteMatchAdql.Identifier(DecColumn), WithinDegrees).Split('\n'))
            yield return "  " + line;
    }
}

/// <summary>Runs a remote match: blocks as async jobs on the service, progress per block, the pairs into the workspace.</summary>
internal sealed class RemoteMatchHandler(ProtocolHandlerOptions options) : StepHandler<RemoteMatchStep>
{
    public override async Task ExecuteAsync(RemoteMatchStep step, StepContext context, CancellationToken cancellationToken)
    {
        var service = ProtocolHandlers.ServiceOf(context, step.Service);
        var t = context.Workspace.GetTable(step.Table);
        using var http = ProtocolHandlers.ClientFor(context, options, service.Name);
        var tap = new TapService(service.Url, http);
        var jobs = new AsyncJobOptions
        {
            Timeout = options.DefaultJobTimeout,
            Keep = context.Options.KeepJobs ? JobKeepMode.Always : JobKeepMode.Never,
            // a block's job is short: look again soon after the first poll, then wait on the service (WAIT)
            MinPollInterval = options.MinPollInterval < TimeSpan.FromMilliseconds(100) ? options.MinPollInterval : TimeSpan.FromMilliseconds(100),
        };
        var runner = new RemoteMatchRunner(tap, jobs)
        {
            Progress = p => context.Progress(
                p.Note is { } note && p.BlocksTotal == 0 ? $"{service.Name}: {note}"
                : string.Create(CultureInfo.InvariantCulture, $"{service.Name}: blocks {p.BlocksDone}/{p.BlocksTotal}, {p.Pairs} pairs, {p.Unmatched} rows of {step.Table} unmatched") + (p.Note is null ? "" : "; " + p.Note),
                rows: p.Pairs),
            JobDone = url => { if (!context.Options.KeepJobs) context.Workspace.RemoveJob(url); },
        };
        var request = new RemoteMatchRequest
        {
            TableName = step.Table, ServiceName = service.Name, RemoteTable = step.RemoteTable, Columns = step.Columns,
            RaColumn = step.RaColumn, DecColumn = step.DecColumn, RadiusDegrees = step.WithinDegrees, Mode = step.Mode,
            BlockSize = step.Block, Parallel = step.Parallel,
        };
        RemoteMatchResult result;
        try
        {
            result = await runner.RunAsync(t.Name == step.Table ? t : Science.Verbs.VerbColumns.Build(t, step.Table, t.Columns), request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!context.Options.KeepJobs)
                foreach (var j in context.Workspace.Jobs.Where(j => j.StepId == context.Step.Id))
                    context.Workspace.RemoveJob(j.Url);
        }
        var table = result.Table;
        table.Name = step.Output;
        var within = (step.WithinDegrees * 3600).ToString("0.###", CultureInfo.InvariantCulture);
        if (result.Unmatched > 0)
            table.Warnings.Add("unmatched", string.Create(CultureInfo.InvariantCulture,
                $"{result.Unmatched} of {t.RowCount} rows of {step.Table} have no partner within {within} arcsec in {step.RemoteTable} on {service.Name}"));
        context.Workspace.SetTable(step.Output, table);
        context.Progress(string.Create(CultureInfo.InvariantCulture,
            $"{step.Output}: {result.Pairs} pairs from {result.Blocks} blocks of up to {result.Sizing.Size} rows ({result.Splits} split), {result.Unmatched} of {t.RowCount} rows of {step.Table} unmatched"),
            rows: table.RowCount);
    }
}

/// <summary>Registers <c>match … with SERVICE table …</c> (kind <c>match-remote</c>).</summary>
internal sealed class RemoteMatchModule(ProtocolHandlerOptions? options = null) : StepModule
{
    private readonly ProtocolHandlerOptions _options = options ?? new ProtocolHandlerOptions();

    public override string Name => "match-remote";

    public override void Register(StepCatalog catalog) => catalog.Add("match-remote", new RemoteMatchHandler(_options));
}
