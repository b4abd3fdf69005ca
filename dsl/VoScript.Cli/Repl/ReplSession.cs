using VoScript.Dsl.Modules;
using System.Collections.Concurrent;
using System.Globalization;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Syntax;
using VoScript.Engine;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;
using VoScript.Hosting;

namespace VoScript.Cli.Repl;

/// <summary>What the output pane shows for one piece of output.</summary>
internal enum OutputKind
{
    Input,
    Text,
    Info,
    Warning,
    Error,
}

internal sealed record OutputLine(OutputKind Kind, string Text);

/// <summary>A statement kept in the session: its text, as <c>:save session</c> writes it.</summary>
internal sealed record SessionStatement(string Text);

/// <summary>How the text in the input editor stands against the session so far.</summary>
/// <param name="IsComplete">false while a <c>{ … }</c> block is open or the last line ends in <c>\</c>.</param>
/// <param name="Diagnostics">diagnostics in the entry only, with spans relative to the entry text.</param>
internal sealed record EntryCheck(string Text, bool IsComplete, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>The diagnostics as the compiler prints them, with the entry's line and a caret.</summary>
    public string Format() => DiagnosticFormatter.FormatAll(Diagnostics, Text).TrimEnd('\n');
}

/// <summary>A step that talks to a service and is running now.</summary>
internal sealed class RunningStep(PlanStep step, DateTimeOffset started, bool background)
{
    public PlanStep Step { get; } = step;
    public DateTimeOffset Started { get; } = started;
    public bool Background { get; } = background;
    public string Phase { get; set; } = "RUNNING";
    public long? Rows { get; set; }
    public string Name => Step.Outputs.FirstOrDefault() ?? Step.Id;
}

/// <summary>A name the session knows, for completion and the workspace pane.</summary>
internal enum NameKind
{
    Value,
    Parameter,
    Table,
    Service,
    ServiceSet,
}

internal sealed record KnownName(string Name, NameKind Kind, string Detail);

/// <summary>
/// The REPL's state, without a terminal: the statements accepted so far, the
/// workspace they built, the runs going on. Every entry is compiled together
/// with the statements before it (so names, units and awaits are checked as in
/// a script) and only its own steps run. A statement whose step fails or is
/// cancelled is dropped from the session, so its name can be used again.
/// An entry made only of async queries runs in the background; other entries
/// run in the foreground, one at a time, and wait for the background queries
/// they read (<c>await</c>).
/// </summary>
internal sealed class ReplSession
{
    public const string SessionFile = "session";

    private readonly List<SessionStatement> _statements = [];
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, RunningStep> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Task Task, CancellationTokenSource Cts)> _backgroundByTable = new(StringComparer.Ordinal);
    private readonly HashSet<Task> _backgroundTasks = [];
    private readonly Lazy<VoScriptSession> _session;
    private int _entries;
    private CancellationTokenSource? _foreground;
    private List<CancellationTokenSource> _foregroundWaitsFor = [];
    private IReadOnlyList<KnownName> _names = [];

    /// <param name="modules">step modules whose kinds replace the host's (tests: a gated query, quick protocol settings).</param>
    /// <param name="workingDirectory">where relative paths of load, save and plot are resolved.</param>
    public ReplSession(IEnumerable<StepModule>? modules = null, string? workingDirectory = null)
    {
        WorkingDirectory = workingDirectory;
        // the REPL is a client of the host: one host session, whose workspace lives as long as the REPL
        // the screen comes in as the host's question (set later by the REPL's view, or never: then the no-terminal message)
        _session = new(() => new VoScriptHost(new VoScriptHostOptions
        {
            WorkingDirectory = WorkingDirectory,
            Ask = view => (Ask ?? throw new VoScriptException(ObjectView.NoTerminalMessage))(view),
        },
        [
            Commands.ScriptInput.CSharpModule(CSharpTimeoutSeconds, _csharp),
            .. modules ?? [],
        ]).OpenSession());
    }

    public string? WorkingDirectory { get; }

    /// <summary>Whether csharp blocks are accepted (<c>voscript repl --no-csharp</c> turns them off).</summary>
    public bool AllowCSharp { get; init; } = true;

    /// <summary>How long one csharp block may run (<c>--csharp-timeout</c>).</summary>
    public double CSharpTimeoutSeconds { get; init; } = 60;

    /// <summary>The csharp blocks' variables and functions, kept from entry to entry.</summary>
    private readonly VoScript.Dsl.CSharp.CSharpRuntime _csharp = new();

    private CompileOptions CompileOptions => new() { AllowCSharp = AllowCSharp };

    /// <summary>
    /// Asks about one object for <c>select … interactively</c>: the REPL's screen sets it (a dialog
    /// with the object's SED); without it the statement fails with the no-terminal message.
    /// </summary>
    public Func<ObjectView, Choice>? Ask { get; set; }

    public Workspace Workspace => _session.Value.State;

    /// <summary>Raised (from any thread) for each line of output: results, warnings, errors.</summary>
    public event Action<OutputLine>? Output;

    /// <summary>Raised (from any thread) when the workspace, the names or the running steps change.</summary>
    public event Action? Changed;

    /// <summary>The statements that built the workspace, in order.</summary>
    public IReadOnlyList<SessionStatement> Statements
    {
        get { lock (_lock) return _statements.ToList(); }
    }

    /// <summary>Names defined by the session's statements (values, parameters, tables, services, service sets).</summary>
    public IReadOnlyList<KnownName> Names => _names;

    /// <summary>Steps talking to services right now (queries, searches), with their job phase.</summary>
    public IReadOnlyList<RunningStep> Running => _running.Values.OrderBy(r => r.Started).ToList();

    /// <summary>True while a foreground entry runs (the editor does not accept another one).</summary>
    public bool Busy => Volatile.Read(ref _foreground) is not null;

    /// <summary>The session's statements as a script that <c>voscript run</c> replays.</summary>
    public string SessionText()
    {
        var sb = new System.Text.StringBuilder();
        foreach (var s in Statements) sb.Append(s.Text).Append('\n');
        return sb.ToString();
    }

    /// <summary>Compiles the entry after the session's statements and reports whether it is complete and what is wrong with it.</summary>
    public EntryCheck Check(string text)
    {
        var (_, result, offset, lineOffset) = CompileWith(text);
        var own = Relative(result.Diagnostics, offset, lineOffset, "input").ToList();
        var complete = text.Trim().Length > 0
            && !own.Any(d => d.Code is DiagnosticCodes.UnclosedBlock)
            && !text.TrimEnd(' ', '\t', '\r', '\n').EndsWith('\\');
        return new EntryCheck(text, complete, own);
    }

    /// <summary>
    /// Compiles and runs an entry (one or more statements). Returns the check; when it has
    /// errors nothing runs. Foreground entries complete when their steps are done;
    /// an entry of async queries completes when they are submitted to run in the background.
    /// </summary>
    /// <param name="label">the file name diagnostics show (<c>input</c> for typed text).</param>
    public async Task<EntryCheck> SubmitAsync(string text, string label = "input")
    {
        var (_, result, offset, lineOffset) = CompileWith(text);
        var own = Relative(result.Diagnostics, offset, lineOffset, label).ToList();
        var check = new EntryCheck(text, true, own);
        if (own.Count > 0) Emit(check.HasErrors ? OutputKind.Error : OutputKind.Warning, check.Format());
        if (check.HasErrors || result.Plan is null) return check;

        var entryNo = Interlocked.Increment(ref _entries);
        var statements = result.Script.Statements.Where(s => s.Span.Start >= offset).ToList();
        var firstLine = lineOffset + 1;
        var steps = result.Plan.Steps.Where(s => LineOf(s) >= firstLine).ToList();
        var ids = steps.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        // the tables this entry reads from earlier entries (to wait for background queries)
        var readsFromEarlier = steps.SelectMany(s => s.DependsOn).Where(d => !ids.Contains(d))
            .SelectMany(d => result.Plan[d].Outputs).ToHashSet(StringComparer.Ordinal);
        string NewId(string id) => $"e{entryNo.ToString(CultureInfo.InvariantCulture)}.{id}";
        var subset = steps.Select(s => s with { Id = NewId(s.Id), DependsOn = s.DependsOn.Where(ids.Contains).Select(NewId).ToList() }).ToList();
        var plan = new Plan(result.Plan.Services, subset, SessionFile);

        // the statements are in the session as soon as the entry is accepted (the next entry may use their names)
        var kept = statements.Select(s => (Statement: s, Item: new SessionStatement(text[(s.Span.Start - offset)..(s.Span.End - offset)].Trim()))).ToList();
        lock (_lock) _statements.AddRange(kept.Select(k => k.Item));
        UpdateNames(result.Plan);

        var background = subset.Count > 0 && subset.All(s => s is ParamStep or LetStep or QueryStep { Async: true } or QueryEachStep { Async: true })
            && subset.Any(s => s is QueryStep or QueryEachStep);
        var cts = new CancellationTokenSource();
        if (background)
        {
            var task = RunAsync(plan, kept, firstLine, background: true, cts);
            lock (_lock)
            {
                foreach (var o in subset.SelectMany(s => s.Outputs)) _backgroundByTable[o] = (task, cts);
                _backgroundTasks.Add(task);
            }
            _ = task.ContinueWith(t => { lock (_lock) _backgroundTasks.Remove(t); }, TaskScheduler.Default);
            Emit(OutputKind.Info, $"running in the background: {string.Join(", ", subset.Where(s => s is QueryStep or QueryEachStep).SelectMany(s => s.Outputs))} (await it to use it)");
            return check;
        }

        List<(Task Task, CancellationTokenSource Cts)> waits;
        List<string> waitedFor;
        lock (_lock)
        {
            waitedFor = readsFromEarlier.Where(_backgroundByTable.ContainsKey).ToList();
            waits = waitedFor.Select(t => _backgroundByTable[t]).Distinct().ToList();
        }
        _foregroundWaitsFor = waits.Select(w => w.Cts).ToList();
        Volatile.Write(ref _foreground, cts);
        Changed?.Invoke();
        try
        {
            if (waits.Count > 0)
            {
                try
                {
                    await Task.WhenAll(waits.Select(w => w.Task)).WaitAsync(cts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
            // a background query this entry waited for failed (its error is shown already): the entry
            // is not run, rather than failing a second time on the table that is not there
            var lost = waitedFor.Where(t => !Workspace.TryGetTable(t, out _)).ToList();
            if (lost.Count > 0 && !cts.IsCancellationRequested)
            {
                lock (_lock)
                    foreach (var k in kept) _statements.Remove(k.Item);
                RefreshNames();
                Emit(OutputKind.Warning, $"not run: {FirstLine(text.Trim())} ({string.Join(", ", lost.Select(l => $"'{l}'"))} {(lost.Count == 1 ? "is" : "are")} not there: {(lost.Count == 1 ? "its query" : "their queries")} failed)");
                return check;
            }
            await RunAsync(plan, kept, firstLine, background: false, cts).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _foreground, null);
            _foregroundWaitsFor = [];
            cts.Dispose();
            Changed?.Invoke();
        }
        return check;
    }

    /// <summary>Cancels the foreground entry (and the background queries it is waiting for). False when nothing runs in the foreground.</summary>
    public bool CancelForeground()
    {
        var f = Volatile.Read(ref _foreground);
        if (f is null) return false;
        foreach (var w in _foregroundWaitsFor) TryCancel(w);
        TryCancel(f);
        return true;
    }

    /// <summary>Cancels one running step (its job is aborted and deleted on the server); the other steps of its entry go on.</summary>
    public bool Cancel(RunningStep step) => _session.Value.CancelStep(step.Step.Id);

    /// <summary>Waits until no background query is running (for tests and for leaving the REPL).</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        Task[] tasks;
        lock (_lock) tasks = _backgroundTasks.ToArray();
        await Task.WhenAll(tasks).WaitAsync(timeout).ConfigureAwait(false);
    }

    /// <summary>Cancels everything running and waits (a while) for jobs to be deleted.</summary>
    public async Task ShutdownAsync(TimeSpan timeout)
    {
        CancelForeground();
        List<(Task Task, CancellationTokenSource Cts)> all;
        Task[] tasks;
        lock (_lock)
        {
            all = _backgroundByTable.Values.Distinct().ToList();
            tasks = _backgroundTasks.ToArray();
        }
        foreach (var b in all) TryCancel(b.Cts);
        try
        {
            await Task.WhenAll(tasks).WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    private static void TryCancel(CancellationTokenSource cts)
    {
        try
        {
            cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task RunAsync(Plan plan, List<(Statement Statement, SessionStatement Item)> kept, int firstLine, bool background, CancellationTokenSource cts)
    {
        RunSummary? summary = null;
        try
        {
            summary = await _session.Value.RunAsync(plan, [], e => OnEvent(e, background), cts.Token).ConfigureAwait(false);
        }
        catch (VoScriptException e)
        {
            Emit(OutputKind.Error, "error: " + e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Emit(OutputKind.Error, $"internal error ({e.GetType().Name}: {e.Message}); please report it");
        }
        finally
        {
            foreach (var s in plan.Steps) _running.TryRemove(s.Id, out _);
            if (background)
                lock (_lock)
                    foreach (var o in plan.Steps.SelectMany(s => s.Outputs))
                        if (_backgroundByTable.TryGetValue(o, out var b) && b.Cts == cts) _backgroundByTable.Remove(o);
        }

        // drop the statements whose steps did not succeed (their names can be used again)
        var failedLines = summary is null
            ? plan.Steps.Select(LineOf).ToHashSet()
            : summary.Steps.Where(s => s.Status != StepStatus.Succeeded).Select(s => LineOf(s.Step)).ToHashSet();
        var dropped = kept.Where(k => failedLines.Contains(k.Statement.Span.Line)).ToList();
        if (dropped.Count > 0)
        {
            lock (_lock)
                foreach (var d in dropped) _statements.Remove(d.Item);
            RefreshNames();
        }
        if (summary is not null)
        {
            if (summary.Status == RunStatus.Cancelled)
                Emit(OutputKind.Warning, "cancelled: " + string.Join("; ", dropped.Select(d => FirstLine(d.Item.Text))));
            var jobs = summary.Jobs.Where(j => plan.Steps.Any(s => s.Id == j.StepId)).ToList();
            foreach (var j in jobs) Emit(OutputKind.Warning, $"job kept: {j.Service} {j.Url} ({j.Phase})");
            // every table the entry made (a select or a cluster as much as a query), and a csharp block's value
            foreach (var s in summary.Steps.Where(s => s.Status == StepStatus.Succeeded))
                foreach (var o in s.Step.Outputs)
                    if (Workspace.TryGetTable(o, out var t))
                        Emit(OutputKind.Info, $"{o}: {Count(t.RowCount, "row")}, {Count(t.ColumnCount, "column")} ({s.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)");
                    else if (s.Step is not (ParamStep or LetStep) && Workspace.TryGetValue(o, out var v)) // a csharp block's value, a count
                        Emit(OutputKind.Info, $"{o} = {v.ToDisplay()}");
        }
        Changed?.Invoke();
    }

    private void OnEvent(ExecutionEvent e, bool background)
    {
        var ended = e switch
        {
            StepCompleted c => c.Step,
            StepFailed f => f.Step,
            StepSkipped k => k.Step,
            _ => null,
        };
        if (ended is not null && _running.TryRemove(ended.Id, out _)) Changed?.Invoke();
        switch (e)
        {
            case StepOutput o:
                Emit(OutputKind.Text, o.Text);
                break;
            case StepWarning w:
                Emit(OutputKind.Warning, "warning: " + w.Message);
                break;
            case StepFailed f:
                Emit(OutputKind.Error, $"error: {f.Step.Kind}: {f.Message}");
                break;
            case StepSkipped s when !s.Reason.Contains("cancelled", StringComparison.Ordinal):
                Emit(OutputKind.Warning, $"not run: {s.Step.Describe()} ({s.Reason})");
                break;
            case StepStarted s when s.Step.IsRemote:
                _running[s.Step.Id] = new RunningStep(s.Step, s.Time, background);
                Changed?.Invoke();
                break;
            case StepProgress p when p.Step.Kind is "plot" or "save":
                // what a step wrote to a file: the only sign that it did
                Emit(OutputKind.Info, p.Message);
                break;
            case StepProgress p when _running.TryGetValue(p.Step.Id, out var r):
                if (p.Phase is not null) r.Phase = p.Phase;
                if (p.Rows is not null) r.Rows = p.Rows;
                Changed?.Invoke();
                break;
        }
    }

    private void Emit(OutputKind kind, string text) => Output?.Invoke(new OutputLine(kind, text));

    /// <summary>The session text, the entry after it, and where the entry starts (offset, lines before it).</summary>
    private (string Prefix, CompileResult Result, int Offset, int LineOffset) CompileWith(string text)
    {
        var prefix = SessionText();
        var result = VoScriptCompiler.Compile(prefix + text, SessionFile, options: CompileOptions);
        var lines = prefix.Count(c => c == '\n');
        return (prefix, result, prefix.Length, lines);
    }

    private static IEnumerable<Diagnostic> Relative(IEnumerable<Diagnostic> diagnostics, int offset, int lineOffset, string label) =>
        diagnostics.Where(d => d.Span.Start >= offset && d.Code != DiagnosticCodes.NeverAwaited)
            .Select(d => d with { Span = d.Span with { File = label, Start = d.Span.Start - offset, Line = d.Span.Line - lineOffset } });

    private static int LineOf(PlanStep s)
    {
        var o = s.Origin ?? "";
        var colon = o.LastIndexOf(':');
        return colon >= 0 && int.TryParse(o.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var line) ? line : 0;
    }

    private void RefreshNames()
    {
        var r = VoScriptCompiler.Compile(SessionText(), SessionFile, options: CompileOptions);
        if (r.Plan is not null) UpdateNames(r.Plan);
    }

    private void UpdateNames(Plan plan)
    {
        var names = new List<KnownName>();
        foreach (var s in plan.Services) names.Add(new KnownName(s.Name, NameKind.Service, s.Kind.Name() + " " + s.Url));
        foreach (var step in plan.Steps)
        {
            switch (step)
            {
                case ParamStep p:
                    names.Add(new KnownName(p.Name, NameKind.Parameter, p.Value.ToCanonical()));
                    break;
                case LetStep l:
                    names.Add(new KnownName(l.Name, NameKind.Value, l.Value.ToCanonical()));
                    break;
                case FindServicesStep f:
                    names.Add(new KnownName(f.Output, NameKind.ServiceSet, f.Describe()));
                    break;
                case VoScript.Dsl.CSharp.CSharpStep { Output: { } o, Block.Kind: not VoScript.Dsl.CSharp.CSharpResultKind.Table } cs:
                    names.Add(new KnownName(o, NameKind.Value, cs.Describe()));
                    break;
                default:
                    foreach (var o in step.Outputs) names.Add(new KnownName(o, NameKind.Table, step.Describe()));
                    break;
            }
        }
        _names = names;
        Changed?.Invoke();
    }

    private static string FirstLine(string text) => text.Contains('\n') ? text[..text.IndexOf('\n')].TrimEnd() + " …" : text;

    internal static string Count(int n, string word) => n == 1 ? $"1 {word}" : $"{n.ToString(CultureInfo.InvariantCulture)} {word}s";

    /// <summary>Elapsed time as the workspace pane shows it: <c>4.2 s</c>, <c>3:05</c>.</summary>
    public static string Elapsed(TimeSpan t) => t.TotalMinutes < 1
        ? t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : $"{(int)t.TotalMinutes}:{t.Seconds.ToString("00", CultureInfo.InvariantCulture)}";
}
