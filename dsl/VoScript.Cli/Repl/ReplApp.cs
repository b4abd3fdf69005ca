// TextView is marked obsolete in Terminal.Gui 2.5 in favour of a separate editor package; it is still the built-in multi-line editor.
#pragma warning disable CS0618
using System.Collections.ObjectModel;
using System.Text;
using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;
using VoScript.Cli.Commands;
using VoScript.Engine.Runtime;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;

namespace VoScript.Cli.Repl;

/// <summary>
/// The full-screen REPL: output pane (text, or a table being shown), workspace
/// pane, input editor with its diagnostics line, status line. A thin layer over
/// <see cref="ReplSession"/>, <see cref="Completer"/>, <see cref="History"/> and <see cref="ReplCommands"/>.
/// </summary>
internal sealed class ReplApp
{
    private readonly IApplication _app;
    private readonly ReplSession _session;
    private readonly History _history;
    private readonly Window _top;
    private readonly FrameView _outputFrame;
    private readonly TextView _output;
    private readonly TableView _tableView;
    private readonly FrameView _workspaceFrame;
    private readonly ListView _workspace;
    private readonly ObservableCollection<string> _workspaceItems = [];
    private readonly List<object?> _workspaceTargets = [];
    private readonly FrameView _inputFrame;
    private readonly TextView _input;
    private readonly Label _hint;
    private readonly Label _status;
    private readonly StringBuilder _outputText = new();
    private string? _completionNote;
    private bool _workspaceDirty = true;
    private long _lastActivity = Environment.TickCount64;
    private readonly QuietTerminal? _quiet;
    private readonly long _started = Environment.TickCount64;

    /// <summary>No key and no run for this long: the REPL idles (<see cref="QuietTerminal"/>).</summary>
    private const int IdleAfterMs = 2000;

    /// <summary>
    /// The first seconds run at full rate even without keys: the runtime compiles the main loop's hot methods
    /// (tiered compilation counts 30 calls) now rather than trickling through that work for a minute of idling.
    /// </summary>
    private const int WarmUpMs = 8000;
    /// <summary>The workspace pane: about a third of the terminal, at least 28 columns (so it grows with the terminal).</summary>
    internal static int WorkspaceWidthFor(int terminalWidth) => Math.Max(28, terminalWidth / 3);
    private readonly Lock _queueLock = new();
    private Task _last = Task.CompletedTask;
    private int _queued;
    private int _generation;

    public ReplApp(IApplication app, ReplSession session, History history, QuietTerminal? quiet = null)
    {
        _quiet = quiet;
        _app = app;
        _session = session;
        _history = history;
        session.Ask = AskInDialog;
        _top = new Window { Title = "voscript repl — :help for help, Ctrl-Q quits", BorderStyle = Terminal.Gui.Drawing.LineStyle.None };

        _outputFrame = new FrameView { Title = "Output", X = 0, Y = 0, Height = Dim.Fill(Dim.Absolute(8)) };
        _outputFrame.Width = Dim.Fill(Dim.Func(v => WorkspaceWidthFor(v?.Viewport.Width ?? 80), _top));
        _output = new OutputView { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(), ReadOnly = true, WordWrap = true, CanFocus = true };
        _tableView = new TableView { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(), Visible = false, FullRowSelect = false };
        _outputFrame.Add(_output, _tableView);

        _workspaceFrame = new FrameView { Title = "Workspace", X = Pos.Right(_outputFrame), Y = 0, Width = Dim.Fill(), Height = Dim.Fill(Dim.Absolute(8)) };
        _workspace = new ListView { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill() };
        _workspace.SetSource(_workspaceItems);
        _workspaceFrame.Add(_workspace);

        _inputFrame = new FrameView { Title = "Input (Enter runs, Tab completes)", X = 0, Y = Pos.Bottom(_outputFrame), Width = Dim.Fill(), Height = 7 };
        _input = new TextView { X = 0, Y = 0, Width = Dim.Fill(), Height = 2, EnterKeyAddsLine = true, TabKeyAddsTab = false, WordWrap = false };
        _hint = new Label { X = 0, Y = 2, Width = Dim.Fill(), Height = 3, Text = "" };
        _inputFrame.Add(_input, _hint);

        _status = new Label { X = 0, Y = Pos.AnchorEnd(1), Width = Dim.Fill(), Height = 1 };
        _top.Add(_outputFrame, _workspaceFrame, _inputFrame, _status);

        _input.KeyDown += OnInputKey;
        _input.ContentsChanged += (_, _) => UpdateHint();
        _tableView.KeyDown += OnTableKey;
        _app.Keyboard.KeyDown += OnGlobalKey;
        _session.Output += line => Post(() => { MarkActive(); Append(line); });
        _session.Changed += () =>
        {
            _workspaceDirty = true;
            _quiet?.Wake();
        };
        _app.AddTimeout(TimeSpan.FromMilliseconds(250), () =>
        {
            if (_workspaceDirty || _session.Running.Count > 0) RefreshWorkspace();
            UpdateStatus();
            // an idle REPL sleeps (QuietTerminal) once nothing runs and no key came for 2 s
            if (_session.Running.Count > 0 || _session.Busy || Volatile.Read(ref _queued) > 0) MarkActive();
            else if (_quiet is { Idle: false } && Environment.TickCount64 - _lastActivity > IdleAfterMs
                     && Environment.TickCount64 - _started > WarmUpMs) _quiet.Idle = true;
            return true;
        });
        Append(new OutputLine(OutputKind.Info, "VoScript REPL. Type a statement (e.g. load \"table.vot\" as t), :help for the list, :quit to leave."));
        RefreshWorkspace();
        UpdateStatus();
        _input.SetFocus();
    }

    public Window Top => _top;

    /// <summary>Runs the REPL on the terminal until :quit; returns the exit code.</summary>
    public static int Run(ReplSession session, History history)
    {
        var (app, quiet) = QuietTerminal.CreateApplication();
        using var _ = app;
        var repl = new ReplApp(app, session, history, quiet);
        try
        {
            app.Run(repl.Top);
        }
        finally
        {
            // before the application is disposed: Terminal.Gui's shutdown waits for the input thread
            quiet?.Stop();
        }
        repl.Top.Dispose();
        // leave no job behind on the servers
        session.ShutdownAsync(TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
        return ScriptInput.Success;
    }

    /// <summary>
    /// <c>select … interactively</c> in the REPL: one dialog per object with its SED drawn in
    /// characters, Yes (keep) / No (skip) / Quit (Esc quits). Called from the run's thread; waits for the answer.
    /// </summary>
    private Choice AskInDialog(ObjectView view)
    {
        var answer = new TaskCompletionSource<Choice>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            var pick = MessageBox.Query(_app, $"keep object {view.ObjectId}? ({view.Index + 1} of {view.Total})", Commands.ObjectDrawing.Screen(view), "_Yes", "_No", "_Quit");
            answer.SetResult(pick switch { 0 => Choice.Keep, 1 => Choice.Skip, _ => Choice.Quit });
        });
        return answer.Task.GetAwaiter().GetResult();
    }

    /// <summary>What the output pane holds as text (for tests).</summary>
    public string OutputText => _outputText.ToString();

    public string HintText => _hint.Text ?? "";

    /// <summary>Which pane has the focus: input, output, table or workspace (for tests).</summary>
    public string FocusedPane => _input.HasFocus ? "input" : _output.HasFocus ? "output" : _tableView.HasFocus ? "table" : _workspace.HasFocus ? "workspace" : "none";

    /// <summary>The text in the input editor (for tests).</summary>
    public string InputText => _input.Text;

    private void MarkActive()
    {
        _lastActivity = Environment.TickCount64;
        if (_quiet is { Idle: true }) _quiet.Idle = false;
    }

    /// <summary>Runs <paramref name="action"/> on the UI thread, waking an idle main loop for it.</summary>
    private void Post(Action action)
    {
        _app.Invoke(action);
        _quiet?.Wake();
    }

    private void OnGlobalKey(object? sender, Key key)
    {
        MarkActive();
        // the list's type-to-find would take the letters first
        if (_workspace.HasFocus) OnWorkspaceKey(sender, key);
        if (key.Handled) return;
        if (key == Key.C.WithCtrl)
        {
            key.Handled = true;
            var queued = Volatile.Read(ref _queued);
            Interlocked.Increment(ref _generation); // entries typed ahead are dropped too
            if (_session.CancelForeground()) Append(new OutputLine(OutputKind.Warning, "cancelling…"));
            else if (queued > 0) Append(new OutputLine(OutputKind.Warning, "cancelling…"));
            else if (_input.HasFocus && _input.Text.Length > 0) _input.Text = "";
            else Append(new OutputLine(OutputKind.Info, "nothing running in the foreground (select a job in the workspace and press c to cancel it; :quit leaves)"));
        }
        else if (key == Key.Q.WithCtrl)
        {
            key.Handled = true;
            _app.RequestStop();
        }
        else if (key == Key.Esc)
        {
            key.Handled = true;
            if (_tableView.Visible) ShowText();
            _input.SetFocus();
        }
        else if (key == Key.F6)
        {
            key.Handled = true;
            if (_input.HasFocus) (_tableView.Visible ? (View)_tableView : _output).SetFocus();
            else if (_output.HasFocus || _tableView.HasFocus) _workspace.SetFocus();
            else _input.SetFocus();
        }
    }

    private void OnInputKey(object? sender, Key key)
    {
        if (key == Key.Enter)
        {
            var text = _input.Text.TrimEnd('\n', '\r');
            if (text.Trim().Length == 0) { key.Handled = true; _input.Text = ""; return; }
            if (ReplCommands.IsCommand(text) && !text.Contains('\n'))
            {
                key.Handled = true;
                Submit(text);
                return;
            }
            var check = _session.Check(text);
            if (!check.IsComplete) return; // a new line inside the open block
            key.Handled = true;
            Submit(text);
        }
        else if (key == Key.Tab)
        {
            key.Handled = true;
            Complete();
        }
        else if (key == Key.U.WithCtrl)
        {
            // as in a shell: Ctrl-U throws the entry away
            key.Handled = true;
            SetInput("");
        }
        else if (key == Key.CursorUp && _input.CurrentRow == 0)
        {
            key.Handled = true;
            if (_history.Previous(_input.Text) is { } previous) SetInput(previous);
        }
        else if (key == Key.CursorDown && _input.CurrentRow >= _input.Lines - 1)
        {
            key.Handled = true;
            if (_history.Next() is { } next) SetInput(next);
        }
    }

    private void SetInput(string text)
    {
        _input.Text = text;
        _input.MoveEnd();
    }

    private void Submit(string text)
    {
        _history.Add(text);
        _input.Text = "";
        _completionNote = null;
        ShowText();
        var lines = text.Split('\n');
        Append(new OutputLine(OutputKind.Input, string.Join('\n', lines.Select((l, i) => (i == 0 ? "> " : ". ") + l.TrimEnd('\r')))));
        // entries run one after the other, in the order typed (typing ahead while one runs is fine)
        var generation = Volatile.Read(ref _generation);
        Interlocked.Increment(ref _queued);
        lock (_queueLock)
            _last = _last.ContinueWith(_ => RunEntryAsync(text, generation), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
    }

    private async Task RunEntryAsync(string text, int generation)
    {
        try
        {
            if (generation != Volatile.Read(ref _generation))
            {
                Post(() => Append(new OutputLine(OutputKind.Warning, "not run (Ctrl-C dropped it): " + text.Split('\n')[0])));
                return;
            }
            if (ReplCommands.IsCommand(text))
            {
                var outcome = await ReplCommands.ExecuteAsync(text, _session).ConfigureAwait(false);
                Post(() =>
                {
                    switch (outcome.Effect)
                    {
                        case CommandEffect.Quit:
                            _app.RequestStop();
                            return;
                        case CommandEffect.Clear:
                            _outputText.Clear();
                            _output.Text = "";
                            break;
                    }
                    foreach (var l in outcome.Lines) Append(l);
                });
            }
            else
            {
                var check = await _session.SubmitAsync(text).ConfigureAwait(false);
                // a rejected entry stays out of the editor (what is typed next is not appended to it):
                // it is one Up-arrow away in the history, as in a shell
                if (!check.HasErrors && LastShown(text) is { } shown && _session.Workspace.TryGetTable(shown.Table, out _))
                    Post(() => ShowTable(shown.Table, focus: false, shown.Limit));
            }
        }
        catch (Exception e)
        {
            Post(() => Append(new OutputLine(OutputKind.Error, $"internal error ({e.GetType().Name}: {e.Message}); please report it")));
        }
        finally
        {
            Interlocked.Decrement(ref _queued);
        }
    }

    /// <summary>The table (and limit) of the last <c>show T [limit N]</c> in the entry, which the output pane then shows as a table view.</summary>
    internal static (string Table, int? Limit)? LastShown(string text) =>
        text.Split('\n', ';').Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length >= 2 && w[0] == "show")
            .Select(w => ((string Table, int? Limit)?)(w[1], w.Length >= 4 && w[2] == "limit"
                && int.TryParse(w[3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null))
            .LastOrDefault();

    private void Complete()
    {
        var text = _input.Text;
        var cursor = OffsetOf(text, _input.CurrentRow, _input.CurrentColumn);
        var c = Completer.Complete(text, cursor, _session);
        if (c.Candidates.Count == 0)
        {
            _completionNote = "no completion";
        }
        else
        {
            var insert = c.Candidates.Count == 1 ? c.Candidates[0] + (c.Candidates[0].EndsWith('/') ? "" : " ") : c.CommonPrefix();
            var rest = insert.Length >= c.Prefix.Length ? insert[c.Prefix.Length..] : "";
            if (rest.Length > 0) _input.InsertText(rest);
            _completionNote = c.Candidates.Count == 1 ? null : string.Join("  ", c.Candidates.Take(40));
        }
        UpdateHint();
    }

    private static int OffsetOf(string text, int row, int column)
    {
        var offset = 0;
        for (var r = 0; r < row; r++)
        {
            var nl = text.IndexOf('\n', offset);
            if (nl < 0) return text.Length;
            offset = nl + 1;
        }
        return Math.Min(text.Length, offset + column);
    }

    private void UpdateHint()
    {
        var text = _input.Text.TrimEnd('\n', '\r');
        if (_completionNote is { } note)
        {
            SetHint(note);
            _completionNote = null;
            return;
        }
        if (text.Trim().Length == 0 || ReplCommands.IsCommand(text)) { SetHint(""); return; }
        var check = _session.Check(text);
        if (!check.IsComplete && !check.HasErrors) SetHint("… block open: Enter adds a line, '}' closes it");
        else if (!check.IsComplete && check.Diagnostics.All(d => d.Code == Dsl.Diagnostics.DiagnosticCodes.UnclosedBlock)) SetHint("… block open: Enter adds a line, '}' closes it");
        else SetHint(check.Diagnostics.Count == 0 ? "" : Dsl.Diagnostics.DiagnosticFormatter.Format(check.Diagnostics[0], text));
    }

    private void SetHint(string text) => _hint.Text = text;

    private void Append(OutputLine line)
    {
        var prefix = line.Kind switch
        {
            OutputKind.Warning when !line.Text.StartsWith("warning", StringComparison.Ordinal) && !line.Text.Contains(": warning ", StringComparison.Ordinal) => "! ",
            _ => "",
        };
        if (_outputText.Length > 0) _outputText.Append('\n');
        _outputText.Append(prefix).Append(line.Text.TrimEnd('\n'));
        _output.Text = _outputText.ToString();
        // the last line in view, from its first column (a long line must not scroll the pane sideways)
        _output.InsertionPoint = new System.Drawing.Point(0, Math.Max(0, _output.Lines - 1));
        _output.SetNeedsDraw();
    }

    private void ShowTable(string name, bool focus, int? limit = null)
    {
        if (!_session.Workspace.TryGetTable(name, out var table)) return;
        var source = new TableSource(table, limit);
        _tableView.Table = source;
        _output.Visible = false;
        _tableView.Visible = true;
        var rows = source.ShownRows < table.RowCount ? $"first {source.ShownRows} of {ReplSession.Count(table.RowCount, "row")}" : ReplSession.Count(table.RowCount, "row");
        _outputFrame.Title = $"Table {name}: {rows} (u units/UCDs, Esc back)";
        if (focus) _tableView.SetFocus();
    }

    private void ShowText()
    {
        if (!_tableView.Visible) return;
        _tableView.Visible = false;
        _output.Visible = true;
        _outputFrame.Title = "Output";
    }

    private void OnTableKey(object? sender, Key key)
    {
        if (key == Key.U && _tableView.Table is TableSource source)
        {
            key.Handled = true;
            source.ShowMeta = !source.ShowMeta;
            _tableView.Update();
            _tableView.SetNeedsDraw();
        }
    }

    private void OnWorkspaceKey(object? sender, Key key)
    {
        // on a heading line, the keys act on the first item under it
        var i = _workspace.SelectedItem ?? 0;
        while (i >= 0 && i < _workspaceTargets.Count && _workspaceTargets[i] is null) i++;
        var target = i >= 0 && i < _workspaceTargets.Count ? _workspaceTargets[i] : null;
        if (key == Key.Enter && target is string table)
        {
            key.Handled = true;
            ShowTable(table, focus: true);
        }
        else if (key == Key.S && target is string toSave)
        {
            key.Handled = true;
            _input.Text = $":save {toSave} {toSave}.vot";
            _input.MoveEnd();
            _input.SetFocus();
            SetHint("edit the file name (.vot, .csv) and press Enter");
        }
        else if (key == Key.T && target is string toSend)
        {
            key.Handled = true;
            _input.Text = $"send {toSend} to topcat";
            _input.MoveEnd();
            _input.SetFocus();
            SetHint("edit the SAMP client (topcat, aladin, all, …) and press Enter");
        }
        else if (key == Key.C && target is RunningStep job)
        {
            key.Handled = true;
            if (_session.Cancel(job)) Append(new OutputLine(OutputKind.Warning, $"cancelling {job.Name}…"));
        }
    }

    private void RefreshWorkspace()
    {
        _workspaceDirty = false;
        var items = ReplPanes.WorkspaceItems(_session);
        var selected = _workspace.SelectedItem;
        // updated in place: emptying the list would take the focus away from it
        _workspaceTargets.Clear();
        _workspaceTargets.AddRange(items.Select(x => x.Target));
        for (var k = 0; k < items.Count; k++)
        {
            if (k < _workspaceItems.Count)
            {
                if (_workspaceItems[k] != items[k].Text) _workspaceItems[k] = items[k].Text;
            }
            else _workspaceItems.Add(items[k].Text);
        }
        while (_workspaceItems.Count > items.Count) _workspaceItems.RemoveAt(_workspaceItems.Count - 1);
        if (selected is { } s0 && s0 < _workspaceItems.Count) _workspace.SelectedItem = s0;
        else if (_workspaceTargets.FindIndex(t => t is not null) is var first and >= 0) _workspace.SelectedItem = first;
    }

    private void UpdateStatus()
    {
        var status = ReplPanes.Status(_session, Volatile.Read(ref _queued));
        // only a change is drawn: an idle REPL does no work on its timer
        if (status != _status.Text) _status.Text = status;
    }

    /// <summary>A read-only text view drawn in the normal colours (the theme draws read-only text grey on grey).</summary>
    private sealed class OutputView : TextView
    {
        protected override bool OnGettingAttributeForRole(in Terminal.Gui.Drawing.VisualRole role, ref Terminal.Gui.Drawing.Attribute currentAttribute)
        {
            if (role == Terminal.Gui.Drawing.VisualRole.ReadOnly)
            {
                currentAttribute = GetAttributeForRole(Terminal.Gui.Drawing.VisualRole.Normal);
                return true;
            }
            return base.OnGettingAttributeForRole(role, ref currentAttribute);
        }
    }
}
