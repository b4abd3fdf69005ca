using System.Collections.Concurrent;
using VoScript.Engine.Runtime;
using VoScript.Engine.Model;

namespace VoScript.Cli.Tests.Repl;

/// <summary>A stand-in for the TAP handler: a query step that makes a one-column table once released, or runs until cancelled.</summary>
internal sealed class GatedQueryHandler : StepHandler<QueryStep>
{
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public ConcurrentBag<string> Cancelled { get; } = [];

    /// <summary>When set, the query fails with this message once released.</summary>
    public string? FailWith { get; set; }

    public override async Task ExecuteAsync(QueryStep q, StepContext context, CancellationToken cancellationToken)
    {
        context.Progress("EXECUTING", phase: "EXECUTING");
        try
        {
            await Release.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Cancelled.Add(q.Output);
            throw;
        }
        if (FailWith is not null) throw new VoScript.Engine.VoScriptException(FailWith);
        var t = new Table(q.Output);
        t.AddColumn(new ScalarColumn<int>(new Field("n", DataType.Int), [1, 2, 3]));
        context.Workspace.SetTable(q.Output, t);
    }
}
