using VoScript.Dsl.Modules;
using System.CommandLine;
using System.Globalization;
using VoScript.Engine;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine.Science.Selection;
using VoScript.Hosting;

namespace VoScript.Cli.Commands;

/// <summary>
/// <c>voscript run FILE.vos [--param NAME=VALUE]… [--keep-jobs] [--quiet]</c> or
/// <c>voscript run -e 'TEXT'</c>: compile, then run the plan. Exit codes: 0 done,
/// 1 diagnostics or failed run, 2 usage, 130 cancelled.
/// </summary>
internal static class RunCommand
{
    /// <param name="modules">step modules whose kinds replace the host's (tests: quick protocol settings, a private SAMP hub).</param>
    public static Command Create(IEnumerable<StepModule>? modules = null)
    {
        var file = new Argument<string?>("file") { Description = "the .vos script", Arity = ArgumentArity.ZeroOrOne };
        var eval = new Option<string?>("--eval", "-e") { Description = "run this script text instead of a file", HelpName = "TEXT" };
        var parameters = new Option<string[]>("--param", "-p") { Description = "override a param: NAME=VALUE (repeatable)", HelpName = "NAME=VALUE" };
        var keepJobs = new Option<bool>("--keep-jobs") { Description = "leave async jobs on their servers when the run ends" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "print only what the script prints (and errors)" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "errors of failed requests keep the start of the service's raw answer" };
        var strict = new Option<bool>("--strict") { Description = "fail the run when a service fails, even where the script says 'on error continue'" };
        var noCSharp = ScriptInput.NoCSharpOption();
        var csharpTimeout = ScriptInput.CSharpTimeoutOption();
        var command = new Command("run", "Run a script (a file, or text with -e)") { file, eval, parameters, keepJobs, quiet, verbose, strict, noCSharp, csharpTimeout };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(file), parse.GetValue(eval), parse.GetValue(parameters),
            parse.GetValue(keepJobs), parse.GetValue(quiet), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, modules, token,
            allowCSharp: !parse.GetValue(noCSharp), csharpTimeoutSeconds: parse.GetValue(csharpTimeout), verbose: parse.GetValue(verbose),
            strict: parse.GetValue(strict)));
        return command;
    }

    public static async Task<int> RunAsync(string? file, string? eval, IEnumerable<string>? parameterPairs, bool keepJobs, bool quiet,
        TextWriter output, TextWriter error, IEnumerable<StepModule>? modules, CancellationToken cancellationToken,
        bool allowCSharp = true, double csharpTimeoutSeconds = 60, bool verbose = false, bool strict = false)
    {
        if ((file is null) == (eval is null))
        {
            error.WriteLine("voscript run: give either a script file or -e 'TEXT'");
            return ScriptInput.Usage;
        }
        var parameters = ScriptInput.Parameters(parameterPairs, error);
        if (parameters is null) return ScriptInput.Usage;
        var text = eval ?? ScriptInput.Read(file!, error);
        if (text is null) return ScriptInput.Failed;
        var clock = Timings.Start();
        var result = ScriptInput.Compile(text, file ?? "-e", parameters, error, allowCSharp);
        clock = Timings.Stop(clock, "compile");
        if (result.Plan is null) return ScriptInput.Failed;

        // On a terminal: a live table of the steps that talk to services. What the script
        // prints goes to stdout; when stdout is that same terminal it is held until the view ends.
        // (not while select … interactively owns the terminal)
        var live = !quiet && LiveView.Available && ReferenceEquals(error, Console.Error)
            && !result.Plan.Steps.Any(s => s.AsksUser) ? new LiveView() : null;
        var held = live is not null && !Console.IsOutputRedirected ? new List<string>() : null;
        void OnEvent(ExecutionEvent e)
        {
            if (live is null) Report(e, quiet, output, error);
            else
            {
                live.OnEvent(e);
                if (e is StepOutput o)
                {
                    if (held is null) output.WriteLine(o.Text);
                    else held.Add(o.Text);
                }
            }
        }
        // the terminal comes in as the host's question: select … interactively asks on it (or, when stdin or stdout is not a
        // terminal, writes each object's summary to stderr and reads one answer per line of stdin); csharp blocks get the time limit given
        Func<ObjectView, Choice>? ask = TerminalSelect.Available && ReferenceEquals(output, Console.Out) ? TerminalSelect.Ask
            : ReferenceEquals(error, Console.Error) ? new PipeSelect(Console.In, error).Ask : null;
        var host = new VoScriptHost(new VoScriptHostOptions { KeepJobs = keepJobs, Verbose = verbose, Strict = strict, Ask = ask },
        [
            ScriptInput.CSharpModule(csharpTimeoutSeconds),
            .. modules ?? [],
        ]);
        var session = host.OpenSession();
        clock = Timings.Stop(clock, "host");
        RunSummary summary;
        try
        {
            summary = live is null
                ? await session.RunAsync(result.Plan, [], OnEvent, cancellationToken).ConfigureAwait(false)
                : await live.ShowWhile(() => session.RunAsync(result.Plan, [], OnEvent, cancellationToken)).ConfigureAwait(false);
        }
        catch (VoScriptException e)
        {
            error.WriteLine("voscript: " + e.Message);
            return ScriptInput.Failed;
        }
        Timings.Stop(clock, "run");
        foreach (var line in held ?? []) output.WriteLine(line);
        // each failure is said once: by its progress line when there were progress lines, else in the summary
        if (!quiet || summary.Status != RunStatus.Succeeded) error.Write(summary.ToString(withErrors: live is not null));
        return summary.Status switch
        {
            RunStatus.Succeeded => ScriptInput.Success,
            RunStatus.Cancelled => ScriptInput.Cancelled,
            _ => ScriptInput.Failed,
        };
    }

    private static void Report(ExecutionEvent e, bool quiet, TextWriter output, TextWriter error)
    {
        switch (e)
        {
            case StepOutput o:
                output.WriteLine(o.Text);
                break;
            case StepFailed f:
                error.WriteLine($"{Where(f.Step)}: error: {f.Message}");
                break;
            case StepWarning w:
                error.WriteLine($"{Where(w.Step)}: warning: {w.Message}");
                break;
            case StepStarted s when !quiet && s.Step.WaitsOutside:
                error.WriteLine($"{Where(s.Step)}: {s.Step.Describe()} …");
                break;
            case StepProgress p when !quiet:
                error.WriteLine($"{Where(p.Step)}: {p.Message}");
                break;
            case StepCompleted c when !quiet && c.Step.WaitsOutside:
                error.WriteLine($"{Where(c.Step)}: {c.Step.Kind} done in {c.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
                break;
        }
    }

    private static string Where(PlanStep s) => s.Origin ?? s.Id;
}
