using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using VoScript.Dsl.CSharp;
using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Syntax;
using VoScript.Engine;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;

namespace VoScript.Dsl.Compiling;

/// <summary>What the csharp pass learnt: each block's compiled form, in chain order.</summary>
public sealed class CSharpAnalysis
{
    /// <summary>The analysis of each <c>csharp</c> statement, by statement.</summary>
    public Dictionary<CSharpStatement, CSharpBlockInfo> Blocks { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The size of the chain's submission array (slot 0 is the globals object).</summary>
    public int Slots => Blocks.Values.Select(b => b.Slot).DefaultIfEmpty(0).Max() + 1;

    /// <summary>The analysis of <paramref name="s"/> if it is a <c>csharp</c> statement.</summary>
    public CSharpBlockInfo? Of(Statement s) => s is CSharpStatement cs ? Blocks.GetValueOrDefault(cs) : null;
}

/// <summary>
/// Pass 0b, C#: before names are checked, compiles the <c>csharp</c> blocks in order as one
/// chain (C# errors become diagnostics at their .vos line and column), learns what each block's
/// result is (a table, a value, or nothing) so that the name pass knows what <c>as NAME</c>
/// defines, and binds the calls of <c>select … where</c> to static functions the blocks declare.
/// </summary>
internal static class CSharpPass
{
    private static readonly string[] BuiltInFunctions = ["abs", "isnull", "count"];

    /// <summary>
    /// One error per block, nothing compiled: the host turned C# off (<c>--no-csharp</c>), or it was compiled ahead of
    /// time (NativeAOT, <paramref name="aheadOfTime"/>) and cannot compile or load C#.
    /// </summary>
    public static void Refuse(Script script, List<Diagnostic> diagnostics, bool aheadOfTime)
    {
        var (code, message) = aheadOfTime
            ? (DiagnosticCodes.CSharpNeedsJit, "csharp blocks need the .NET runtime with its JIT compiler, and this host was compiled ahead of time (NativeAOT); run the script with a JIT build of the host")
            : (DiagnosticCodes.CSharpRefused, "csharp blocks are turned off here (--no-csharp): C# runs with your full rights, so this host refuses it; run without --no-csharp if you trust this script");
        foreach (var cs in script.Statements.OfType<CSharpStatement>())
            diagnostics.Add(Diagnostic.Error(cs.Keyword.Span, code, message));
    }

    public static (Script Script, CSharpAnalysis Analysis) Run(Script script, string fileName, List<Diagnostic> diagnostics)
    {
        var analysis = new CSharpAnalysis();
        var chain = new CSharpChain(fileName);
        var scope = new Dictionary<string, CSharpScopeName>(StringComparer.Ordinal);
        var functions = new Dictionary<string, (CSharpFunction Function, CSharpBlockInfo Block, CSharpStatement Statement)>(StringComparer.Ordinal);
        var statements = new List<Statement>();
        foreach (var statement in script.Statements)
        {
            var s = statement;
            if (s is CSharpStatement cs)
            {
                var info = chain.Add(cs, scope.Values.ToList());
                analysis.Blocks[cs] = info;
                foreach (var m in info.Messages) diagnostics.Add(ToDiagnostic(cs, m));
                foreach (var f in info.Functions) functions[f.Name] = (f, info, cs);
                if (cs.Output is { } output && info.Compiled && !info.Messages.Any(m => m.IsError))
                {
                    var type = info.Kind switch
                    {
                        CSharpResultKind.Table => "ScriptTable",
                        CSharpResultKind.Number => "double",
                        CSharpResultKind.Text => "string",
                        CSharpResultKind.List => "object[]",
                        _ => null,
                    };
                    if (type is null)
                        diagnostics.Add(Diagnostic.Error(output.Span, DiagnosticCodes.CSharpResult, info.Kind == CSharpResultKind.None
                            ? $"this block has no result to name: end it with an expression without ';' (a table, a number, a string or a list), or leave out 'as {output.Text}'"
                            : $"the block's result is a {info.ResultType}; 'as {output.Text}' keeps a table (ScriptTable or Table), a number, a string, or a list of numbers or strings"));
                    else scope[output.Text] = new CSharpScopeName(output.Text, info.Kind == CSharpResultKind.Table, type);
                }
            }
            else
            {
                if (s is SelectWhereStatement sw && functions.Count > 0)
                    s = sw with { Condition = Bind(sw.Condition, functions, sw.ConditionSpan, script.Span, diagnostics) };
                foreach (var (id, symbol) in NamePass.Defines(s, 0, null))
                {
                    if (symbol.Kind == SymbolKind.Table) scope[id.Text] = new CSharpScopeName(id.Text, true, "ScriptTable");
                    else if (symbol.Kind == SymbolKind.Value && ValueType(s, scope) is { } t) scope[id.Text] = new CSharpScopeName(id.Text, false, t);
                }
            }
            statements.Add(s);
        }
        return (script with { Statements = statements }, analysis);
    }

    /// <summary>The C# type of a param's or let's value, from its expression (the value pass checks the rest).</summary>
    private static string? ValueType(Statement s, Dictionary<string, CSharpScopeName> scope)
    {
        string? Of(Expression e) => e switch
        {
            NumberLiteral => "double",
            StringLiteral => "string",
            ListLiteral => "object[]",
            AdqlExpression => "string",
            NameReference n => scope.TryGetValue(n.Name.Text, out var v) && !v.IsTable ? v.CSharpType : null,
            NegateExpression => "double",
            BinaryExpression b => Of(b.Left) == "string" && Of(b.Right) == "string" ? "string" : "double",
            _ => null,
        };
        return s switch
        {
            ParamStatement p => Of(p.Value),
            LetStatement l => Of(l.Value),
            _ => null,
        };
    }

    private static Diagnostic ToDiagnostic(CSharpStatement cs, CSharpMessage m)
    {
        var code = cs.Code;
        SourceSpan span;
        if (m.Length == 0 && m.Start == 0) span = cs.Keyword.Span;
        else
        {
            var before = code.Text.AsSpan(0, m.Start);
            var newlines = before.Count('\n');
            var column = newlines == 0 ? code.Span.Column + m.Start : m.Start - before.LastIndexOf('\n');
            span = new SourceSpan(code.Span.File, code.Span.Start + m.Start, Math.Max(1, m.Length), code.Span.Line + newlines, column);
        }
        return m.IsError ? Diagnostic.Error(span, m.Code, m.Message) : Diagnostic.Warning(span, m.Code, m.Message);
    }

    /// <summary>Calls in a condition to functions of earlier blocks get the function to call.</summary>
    private static Expr Bind(Expr e, IReadOnlyDictionary<string, (CSharpFunction Function, CSharpBlockInfo Block, CSharpStatement Statement)> functions,
        SourceSpan condition, SourceSpan script, List<Diagnostic> diagnostics)
    {
        Expr Walk(Expr x) => Bind(x, functions, condition, script, diagnostics);
        switch (e)
        {
            case Unary u:
                return u with { Operand = Walk(u.Operand) };
            case Binary b:
                return b with { Left = Walk(b.Left), Right = Walk(b.Right) };
            case Call c:
                var args = c.Args.Select(Walk).ToList();
                if (BuiltInFunctions.Contains(c.Function, StringComparer.OrdinalIgnoreCase) || !functions.TryGetValue(c.Function, out var f))
                    return c with { Args = args };
                var types = f.Function.ParameterTypes.Select(ExprTypeOf).ToList();
                var result = ExprTypeOf(f.Function.ReturnType);
                if (!f.Function.IsStatic || types.Any(t => t is null) || result is null || f.Block.TypeName is null)
                {
                    diagnostics.Add(Diagnostic.Error(SpanOf(c.Span, condition), DiagnosticCodes.CSharpFunction,
                        $"'{f.Function.Display}' (csharp block on line {f.Statement.Span.Line}) cannot be called in a condition: "
                        + "make it static, with numbers (double), strings or bools as parameters and result"));
                    return c with { Args = args };
                }
                var block = f.Block;
                var name = f.Function.Name;
                return c with
                {
                    Args = args,
                    Host = new HostFunction(name, types.Select(t => t!.Value).ToList(), result.Value,
                        values => CSharpFunctions.Invoke(block.AssemblyName, block.TypeName!, name, values)),
                };
            default:
                return e;
        }
    }

    private static ExprType? ExprTypeOf(string valueType) => valueType switch
    {
        "number" => ExprType.Number,
        "text" => ExprType.Text,
        "boolean" => ExprType.Boolean,
        _ => null,
    };

    /// <summary>A condition's offsets (into the script text) as a span: the line and column counted from the condition's start.</summary>
    private static SourceSpan SpanOf(ExprSpan? span, SourceSpan condition)
    {
        if (span is not { } s || s.Start < condition.Start) return condition;
        return condition with { Start = s.Start, Length = Math.Max(1, s.Length), Column = condition.Column + (s.Start - condition.Start) };
    }
}

/// <summary>Calls a static function of a compiled block (for <c>select … where</c>), converting the values on the way.</summary>
internal static class CSharpFunctions
{
    private static readonly ConcurrentDictionary<(string Assembly, string Type, string Name), MethodInfo> Methods = new();

    public static object? Invoke(string assembly, string type, string name, object?[] values)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported) throw CSharpAssemblies.NeedsJit();
        var method = Methods.GetOrAdd((assembly, type, name), k =>
            CSharpAssemblies.Get(k.Assembly).GetType(k.Type, throwOnError: true)!
                .GetMethod(k.Name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new VoScriptException($"the C# function {k.Name} is not in its compiled block; run 'voscript check' again"));
        var parameters = method.GetParameters();
        var args = new object?[parameters.Length];
        for (var i = 0; i < args.Length; i++)
        {
            var target = Nullable.GetUnderlyingType(parameters[i].ParameterType) ?? parameters[i].ParameterType;
            if (values[i] is null)
            {
                if (target.IsValueType && Nullable.GetUnderlyingType(parameters[i].ParameterType) is null) return null; // a null cell: no call, null result
                args[i] = null;
            }
            else args[i] = target == values[i]!.GetType() ? values[i] : Convert.ChangeType(values[i], target, CultureInfo.InvariantCulture);
        }
        try
        {
            return method.Invoke(null, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw new VoScriptException($"the C# function {name} threw {inner.GetType().Name}: {inner.Message}");
        }
    }
}
