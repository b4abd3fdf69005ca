using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using VoScript.Engine;
using VoScript.Engine.Model;
using VoScript.Engine.Runtime;

namespace VoScript.Dsl.CSharp;

/// <summary>What a host sets for csharp blocks.</summary>
public sealed record CSharpRunOptions
{
    /// <summary>How long one block may run; then its cancellation token is cancelled (<c>--csharp-timeout</c>).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The state of the blocks that ran (their variables), kept across runs by a host that runs a
    /// script in pieces (the REPL). Null: each run has its own.
    /// </summary>
    public CSharpRuntime? Runtime { get; init; }

    /// <summary>How long a block that ran out of time gets to stop before the step fails anyway.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Runs compiled blocks: one globals object and one submission array per chain, so a block sees
/// the variables and functions of the blocks that ran before it.
/// </summary>
public sealed class CSharpRuntime
{
    private static readonly ConcurrentDictionary<(string Assembly, string Type), Func<object[], Task<object>>> Factories = new();
    private readonly ScriptGlobals _globals = new();
    private object[] _submissions = [];

    /// <summary>Runs a <c>csharp</c> step against the workspace of <paramref name="context"/> and returns its result (a table, a value or null).</summary>
    public async Task<object?> RunAsync(CSharpStep step, StepContext context, CSharpRunOptions options, CancellationToken token)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported) throw CSharpAssemblies.NeedsJit();
        var block = step.Block;
        if (block.TypeName is null) return null; // a block without code
        var factory = Factories.GetOrAdd((block.AssemblyName, block.TypeName), k =>
            CSharpAssemblies.Get(k.Assembly).GetType(k.Type, throwOnError: true)!
                .GetMethod("<Factory>", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!
                .CreateDelegate<Func<object[], Task<object>>>());
        var size = Math.Max(step.Slots, block.Slot + 1);
        if (_submissions.Length < size)
        {
            var grown = new object[size];
            _submissions.CopyTo(grown, 0);
            _submissions = grown;
        }
        _submissions[0] = _globals;

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(token);
        limit.CancelAfter(options.Timeout);
        _globals.Bind(context, limit.Token);
        var submissions = _submissions;
        var run = Task.Run(() => factory(submissions), CancellationToken.None);
        var first = await Task.WhenAny(run, Task.Delay(options.Timeout, token)).ConfigureAwait(false);
        if (first != run)
        {
            // out of time (or the run is cancelled): the token is cancelled; give the code a moment to notice
            await Task.WhenAny(run, Task.Delay(options.Grace, CancellationToken.None)).ConfigureAwait(false);
            if (!run.IsCompleted)
            {
                _ = run.ContinueWith(t => _ = t.Exception, TaskScheduler.Default); // observed, whenever it ends
                token.ThrowIfCancellationRequested();
                throw new VoScriptException($"the C# code ran past its time limit of {Seconds(options.Timeout)} and did not stop when its "
                    + "CancellationToken was cancelled; it goes on in the background until the program ends (C# cannot be stopped from outside): "
                    + "check CancellationToken in long loops, or raise the limit with --csharp-timeout");
            }
        }
        try
        {
            return await run.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            throw new VoScriptException($"the C# code stopped at its time limit of {Seconds(options.Timeout)}; raise it with --csharp-timeout");
        }
        catch (Exception e)
        {
            throw new VoScriptException(Describe(e, step));
        }
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    /// <summary>The exception as the user needs it: its type and message, and the .vos line where the block threw it.</summary>
    private static string Describe(Exception e, CSharpStep step)
    {
        if (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        var file = CSharpRoslyn.SafeFileName(step.SourceFile);
        var line = new StackTrace(e, fNeedFileInfo: true).GetFrames()
            .Where(f => f.GetFileName() == file && f.GetFileLineNumber() > 0)
            .Select(f => f.GetFileLineNumber()).FirstOrDefault();
        var where = line > 0 ? $" at line {line.ToString(CultureInfo.InvariantCulture)}" : "";
        return $"the C# code threw {e.GetType().Name}{where}: {e.Message}";
    }
}

/// <summary>Runs <c>csharp</c> steps; hosts register it (the engine knows nothing of C#).</summary>
internal sealed class CSharpStepHandler(CSharpRunOptions? options = null) : StepHandler<CSharpStep>
{
    private readonly CSharpRunOptions _options = options ?? new CSharpRunOptions();

    public override async Task ExecuteAsync(CSharpStep cs, StepContext context, CancellationToken cancellationToken)
    {
        var runtime = _options.Runtime ?? context.Resources.GetOrAdd("csharp.runtime", () => new CSharpRuntime());
        var result = await runtime.RunAsync(cs, context, _options, cancellationToken).ConfigureAwait(false);
        if (cs.Output is not { } name) return;
        switch (cs.Block.Kind)
        {
            case CSharpResultKind.Table:
                var table = result switch
                {
                    ScriptTable s => s.Table,
                    Table t => t,
                    _ => throw new VoScriptException($"the block's result is null; 'as {name}' needs a table"),
                };
                table.Name ??= name;
                context.Workspace.SetTable(name, table);
                context.Progress($"{name}: {table.RowCount.ToString(CultureInfo.InvariantCulture)} rows", rows: table.RowCount);
                break;
            default:
                context.Workspace.SetValue(name, ToValue(result, name));
                break;
        }
    }

    private static PlanValue ToValue(object? value, string name) => value switch
    {
        null => throw new VoScriptException($"the block's result is null; 'as {name}' needs a value"),
        string s => new StringValue(s),
        IConvertible c when value is not bool and not char => new NumberValue(c.ToDouble(CultureInfo.InvariantCulture)),
        IEnumerable items => new ListValue(items.Cast<object?>().Select(i => ToValue(i, name)).ToList()),
        _ => throw new VoScriptException($"'as {name}' cannot keep a {value.GetType().Name}"),
    };
}
