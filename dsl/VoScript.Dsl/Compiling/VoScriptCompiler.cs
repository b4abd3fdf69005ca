using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Plans;

namespace VoScript.Dsl.Compiling;

/// <summary>What compiling produced: a plan when there were no errors, and every diagnostic (sorted by position).</summary>
internal sealed record CompileResult(Plan? Plan, IReadOnlyList<Diagnostic> Diagnostics, Script Script, string Source)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>Diagnostics as a compiler prints them (with the source line and a caret).</summary>
    public string FormatDiagnostics() => DiagnosticFormatter.FormatAll(Diagnostics, Source);
}

/// <summary>What a host allows the script to do; the defaults suit the <c>voscript</c> command.</summary>
internal sealed record CompileOptions
{
    public static CompileOptions Default { get; } = new();

    /// <summary>Whether <c>csharp { … }</c> blocks are accepted; false refuses each one at compile time (<c>--no-csharp</c>).</summary>
    public bool AllowCSharp { get; init; } = true;

    /// <summary>The step kinds <c>run</c> may name, registered by the host (none for the <c>voscript</c> command).</summary>
    public IReadOnlyDictionary<string, VoScript.Hosting.IHostStep> HostSteps { get; init; } = new Dictionary<string, VoScript.Hosting.IHostStep>();
}

/// <summary>
/// The front door of the language: text in, plan and diagnostics out. Never
/// throws for anything a user can write. Runs the passes in order: parse,
/// names, values and units, awaits, plan. Syntax errors stop before the names
/// pass (a broken statement would make its names look undefined).
/// </summary>
internal static class VoScriptCompiler
{
    public static CompileResult Compile(string text, string fileName = "script", IReadOnlyDictionary<string, string>? parameters = null, CompileOptions? options = null)
    {
        var parsed = ScriptParser.Parse(text, fileName);
        return CompileParsed(parsed, text, fileName, parameters, options);
    }

    /// <summary>The passes after parsing, for a script parsed once and compiled with several parameter sets.</summary>
    internal static CompileResult CompileParsed(ParseResult parsed, string text, string fileName, IReadOnlyDictionary<string, string>? parameters, CompileOptions? options)
    {
        options ??= CompileOptions.Default;
        if (parsed.HasErrors) return new CompileResult(null, Sort(parsed.Diagnostics), parsed.Script, text);

        var diagnostics = new List<Diagnostic>(parsed.Diagnostics);
        var script = parsed.Script;
        CSharpAnalysis? csharp = null;
        if (script.Statements.Any(s => s is CSharpStatement))
        {
            if (!options.AllowCSharp)
            {
                CSharpPass.Refuse(script, diagnostics);
                return new CompileResult(null, Sort(diagnostics), script, text);
            }
            (script, csharp) = CSharpPass.Run(script, fileName, diagnostics);
        }
        var symbols = NamePass.Run(script, diagnostics, csharp);
        var values = ValuePass.Run(script, symbols, parameters, diagnostics);
        HostStepPass.Run(script, symbols, values, options.HostSteps, diagnostics);
        var awaited = AwaitPass.Run(script, symbols, diagnostics, csharp);
        if (!diagnostics.Any(d => d.IsError)) ColumnPass.Run(script, text, diagnostics);
        Plan? plan = null;
        if (!diagnostics.Any(d => d.IsError))
            plan = PlanBuilder.Build(script, Path.GetFileName(fileName), symbols, values, awaited, csharp, fileName);
        return new CompileResult(plan, Sort(diagnostics), script, text);
    }

    private static List<Diagnostic> Sort(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.OrderBy(d => d.Span.File == ValuePass.CommandLine.File ? 0 : 1).ThenBy(d => d.Span.Start).ThenBy(d => d.Code, StringComparer.Ordinal).ToList();
}
