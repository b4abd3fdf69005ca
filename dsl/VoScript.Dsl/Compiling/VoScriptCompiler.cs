using System.Runtime.CompilerServices;
using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Runtime;

namespace VoScript.Dsl.Compiling;

/// <summary>What compiling produced: a plan when there were no errors, and every diagnostic (sorted by position).</summary>
public sealed record CompileResult(Plan? Plan, IReadOnlyList<Diagnostic> Diagnostics, Script Script, string Source)
{
    /// <summary>Whether any diagnostic is an error (then there is no plan).</summary>
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>Diagnostics as a compiler prints them (with the source line and a caret).</summary>
    public string FormatDiagnostics() => DiagnosticFormatter.FormatAll(Diagnostics, Source);
}

/// <summary>What a host allows the script to do; the defaults suit the <c>voscript</c> command.</summary>
public sealed record CompileOptions
{
    /// <summary>The default options.</summary>
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
public static partial class VoScriptCompiler
{
    /// <summary>Parses and compiles a script; never throws for user input (problems are diagnostics).</summary>
    public static CompileResult Compile(string text, string fileName = "script", IReadOnlyDictionary<string, string>? parameters = null, CompileOptions? options = null)
    {
        var parsed = ScriptParser.Parse(text, fileName);
        return CompileParsed(parsed, text, fileName, parameters, options);
    }

    /// <summary>The passes after parsing, for a script parsed once and compiled with several parameter sets.</summary>
    internal static CompileResult CompileParsed(ParseResult parsed, string text, string fileName, IReadOnlyDictionary<string, string>? parameters, CompileOptions? options)
    {
        options ??= CompileOptions.Default;
        // Every pass runs even after errors of earlier passes, so that one check shows every independent
        // mistake. What an error can cause further on (statements that did not parse define no names,
        // refused csharp blocks no functions) is left out, and a statement with an error gets no column errors.
        var diagnostics = new List<Diagnostic>(parsed.Diagnostics);
        var script = parsed.Script;
        // Words of the text that is not in the script: statements that did not parse, csharp blocks refused.
        var missing = parsed.HasErrors ? UnparsedWords(script, text) : [];
        CSharpAnalysis? csharp = null;
        if (script.Statements.Any(s => s is CSharpStatement))
        {
            // refused, or a host compiled ahead of time: no Roslyn, no loading of compiled blocks. (That test is a constant
            // there, so the compiler of the image drops the branch that calls Roslyn, and Roslyn with it.)
            if (!options.AllowCSharp || !RuntimeFeature.IsDynamicCodeSupported)
            {
                CSharpPass.Refuse(script, diagnostics, aheadOfTime: options.AllowCSharp);
                foreach (var cs in script.Statements.OfType<CSharpStatement>())
                    missing.UnionWith(Words(text.Substring(cs.Span.Start, cs.Span.Length)));
            }
            else if (!parsed.HasErrors) (script, csharp) = CSharpPass.Run(script, fileName, diagnostics);
        }
        var before = diagnostics.Count;
        var symbols = NamePass.Run(script, diagnostics, csharp);
        var values = ValuePass.Run(script, symbols, parameters, diagnostics);
        script = ExpressionValuePass.Run(script, symbols, values, text, diagnostics);
        HostStepPass.Run(script, symbols, values, options.HostSteps, diagnostics);
        var awaited = AwaitPass.Run(script, symbols, diagnostics, csharp);
        if (missing.Count > 0) DropConsequences(diagnostics, before, text, missing);
        var columns = new List<Diagnostic>();
        ColumnPass.Run(script, text, columns);
        var earlier = diagnostics.Where(d => d.IsError).ToList();
        diagnostics.AddRange(columns.Where(c => !earlier.Any(d => SameStatement(script, d.Span, c.Span))));
        Plan? plan = null;
        if (!diagnostics.Any(d => d.IsError))
            plan = PlanPass.Build(script, Path.GetFileName(fileName), symbols, values, awaited, csharp, fileName);
        return new CompileResult(plan, Sort(diagnostics), script, text);
    }

    /// <summary>Diagnostics that a statement missing from the script (not parsed, or refused) may cause: unknown names, awaits, C#.</summary>
    private static readonly HashSet<string> Consequences =
    [
        DiagnosticCodes.UnknownValue, DiagnosticCodes.UnknownTable, DiagnosticCodes.UnknownService, DiagnosticCodes.UnknownParameter,
        DiagnosticCodes.UsedBeforeDefinition, DiagnosticCodes.WrongKindOfName, DiagnosticCodes.NotAwaited, DiagnosticCodes.NotAsync,
        DiagnosticCodes.NeverAwaited, DiagnosticCodes.CSharpRuntimeValue,
    ];

    /// <summary>Drops the diagnostics that name a word of the missing text (from <paramref name="from"/> on).</summary>
    private static void DropConsequences(List<Diagnostic> diagnostics, int from, string text, HashSet<string> missing)
    {
        for (var i = diagnostics.Count - 1; i >= from; i--)
        {
            var d = diagnostics[i];
            if (!Consequences.Contains(d.Code)) continue;
            var named = d.Span.File == ValuePass.CommandLine.File || d.Span.Start + d.Span.Length > text.Length
                ? Words(d.Message) : Words(text.Substring(d.Span.Start, d.Span.Length));
            if (named.Any(missing.Contains)) diagnostics.RemoveAt(i);
        }
    }

    /// <summary>The words of the text between the statements that parsed (comments left out).</summary>
    private static HashSet<string> UnparsedWords(Script script, string text)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        var at = 0;
        foreach (var s in script.Statements.OrderBy(s => s.Span.Start).Append(null))
        {
            var end = s?.Span.Start ?? text.Length;
            if (end > at)
                foreach (var line in text[at..end].Split('\n'))
                    words.UnionWith(Words(line.Split('#')[0]));
            if (s is not null) at = Math.Max(at, s.Span.Start + s.Span.Length);
        }
        return words;
    }

    private static IEnumerable<string> Words(string s) => WordPattern().Matches(s).Select(m => m.Value);

    [System.Text.RegularExpressions.GeneratedRegex("[A-Za-z_][A-Za-z0-9_]*")]
    private static partial System.Text.RegularExpressions.Regex WordPattern();

    private static bool SameStatement(Script script, SourceSpan a, SourceSpan b)
    {
        if (a.File != b.File) return false;
        foreach (var s in script.Statements)
            if (s.Span.Start <= b.Start && b.Start < s.Span.Start + Math.Max(1, s.Span.Length))
                return s.Span.Start <= a.Start && a.Start < s.Span.Start + Math.Max(1, s.Span.Length);
        return false;
    }

    private static List<Diagnostic> Sort(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.OrderBy(d => d.Span.File == ValuePass.CommandLine.File ? 0 : 1).ThenBy(d => d.Span.Start).ThenBy(d => d.Code, StringComparer.Ordinal).ToList();
}
