using System.Globalization;
using VoScript.Engine.Protocols.Tap;
using VoScript.Engine.Science.RemoteMatch;

namespace VoScript.Engine.Runtime.Modules;

// match T with SERVICE table "schema.table" … (issue #20): the step, its handler and module. The work is done by
// Protocols/Tap/RemoteMatch/ (block planning, the blocks' ADQL, running them, merging the pairs).

/// <summary><c>match T with SERVICE table "schema.table" [columns …] [positions RA, DEC] within ANGLE [best for T | all] [block N] [parallel N] as NAME</c>.</summary>
internal sealed record RemoteMatchStep : PlanStep
{
    public required string Table { get; init; }
    public required string Service { get; init; }
    public required string RemoteTable { get; init; }
    public IReadOnlyList<string>? Columns { get; init; }
    public string? RaColumn { get; init; }
    public string? DecColumn { get; init; }
    public required double WithinDegrees { get; init; }
    public RemoteMatchMode Mode { get; init; } = RemoteMatchMode.BestForTable;
    public int? Block { get; init; }
    public int Parallel { get; init; } = RemoteMatchRequest.DefaultParallel;
    public required string Output { get; init; }

    public override string Kind => "match-remote";
    public override IEnumerable<string> Inputs => [Table];
    public override IEnumerable<string> Outputs => [Output];
    public override IEnumerable<string> Services => [Service];
    public override bool IsRemote => true;

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
