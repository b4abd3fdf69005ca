using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;

namespace VoScript.Dsl.CSharp;

/// <summary>
/// Everything that touches Roslyn: parsing a block to see which workspace names it uses, and
/// compiling it as the next submission of the script's chain. Only called when the cache has
/// no compiled block, so a cached run never loads the compiler.
/// </summary>
internal static class CSharpRoslyn
{
    public static readonly string[] Imports =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Text", "System.Threading",
        "System.Threading.Tasks", "VoScript.Dsl.CSharp", "VoScript.Engine.Model",
    ];

    private static readonly HashSet<string> GlobalsMembers = typeof(ScriptGlobals).GetMembers().Select(m => m.Name).ToHashSet(StringComparer.Ordinal);

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Script);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var paths = ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p =>
            {
                var name = Path.GetFileNameWithoutExtension(p);
                return name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "netstandard" or "mscorlib" or "Microsoft.CSharp";
            })
            .Concat([typeof(ScriptGlobals).Assembly.Location, typeof(VoScript.Engine.Model.Table).Assembly.Location])
            .Where(p => p.Length > 0 && File.Exists(p))
            .Distinct(StringComparer.Ordinal);
        return [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    });

    private static int _compilations;

    /// <summary>How many blocks this process has given to the C# compiler (the cache tests watch it).</summary>
    public static int Compilations => Volatile.Read(ref _compilations);

    /// <summary>The names of <paramref name="scope"/> that the code mentions (as a name, or as a string such as <c>Tables["gdr3"]</c>).</summary>
    public static IReadOnlyList<string> Reads(string code, IReadOnlyList<CSharpScopeName> scope)
    {
        var tree = CSharpSyntaxTree.ParseText(code, ParseOptions);
        var mentioned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in tree.GetRoot().DescendantNodes())
        {
            switch (node)
            {
                case IdentifierNameSyntax id when !(id.Parent is MemberAccessExpressionSyntax m && m.Name == id):
                    mentioned.Add(id.Identifier.ValueText);
                    break;
                case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } s:
                    mentioned.Add(s.Token.ValueText);
                    break;
            }
        }
        // a workspace name that is also a member of the globals (a table called Tables) stays reachable as Tables["…"]
        return scope.Where(n => mentioned.Contains(n.Name) && !GlobalsMembers.Contains(n.Name)).Select(n => n.Name).ToList();
    }

    /// <summary>The C# that runs before the block's own code: a typed variable for each workspace name it uses.</summary>
    public static string Preamble(IEnumerable<CSharpScopeName> used)
    {
        var sb = new StringBuilder();
        foreach (var n in used)
        {
            var literal = SymbolDisplay.FormatLiteral(n.Name, quote: true);
            sb.Append(n.CSharpType).Append(" @").Append(n.Name).Append(" = ")
              .Append(n.IsTable ? $"Tables[{literal}];" : $"({n.CSharpType})Values[{literal}]!;").Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>A compiled block: what it is, and its assembly when it compiled without errors and could be emitted.</summary>
    public sealed record Compiled(object Compilation, CSharpBlockInfo Info, byte[]? Image);

    /// <summary>
    /// Compiles a block as the submission after <paramref name="previous"/> (an earlier result's
    /// compilation, or null for the first block), in an assembly called <paramref name="assemblyName"/>.
    /// With <paramref name="emit"/> false only diagnostics and facts are wanted (no assembly).
    /// </summary>
    public static Compiled Compile(object? previous, string assemblyName, string fileName, string body, int line, int column,
        IReadOnlyList<CSharpScopeName> used, int slot, bool emit)
    {
        Interlocked.Increment(ref _compilations);
        var preamble = Preamble(used);
        var directive = $"#line {line} \"{SafeFileName(fileName)}\"\n";
        var bodyOffset = preamble.Length + directive.Length + (column - 1);
        var text = preamble + directive + new string(' ', column - 1) + body;
        var tree = CSharpSyntaxTree.ParseText(text, ParseOptions, path: SafeFileName(fileName), encoding: Encoding.UTF8);
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, usings: Imports,
            optimizationLevel: OptimizationLevel.Release, deterministic: true, concurrentBuild: false,
            nullableContextOptions: NullableContextOptions.Annotations); // 'string?' is fine, without nullable flow warnings
        var compilation = CSharpCompilation.CreateScriptCompilation(assemblyName, tree, References.Value, options,
            (CSharpCompilation?)previous, typeof(object), typeof(ScriptGlobals));

        var messages = new List<CSharpMessage>();
        foreach (var d in compilation.GetDiagnostics())
        {
            if (d.Severity is not (DiagnosticSeverity.Error or DiagnosticSeverity.Warning) || d.IsSuppressed) continue;
            if (d.Location.SourceTree is { } t && t != tree) continue;
            var start = d.Location.IsInSource ? d.Location.SourceSpan.Start - bodyOffset : 0;
            var length = d.Location.IsInSource ? d.Location.SourceSpan.Length : 0;
            if (start < 0) (start, length) = (0, 0); // in the declarations VoScript adds: point at the block
            if (start > body.Length) (start, length) = (body.Length, 0);
            messages.Add(new CSharpMessage(d.Severity == DiagnosticSeverity.Error, d.Id, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
                start, Math.Min(length, body.Length - start)));
        }

        // the result of a submission is its last statement when that is an expression without ';',
        // or what its top-level 'return' statements return (all of one kind)
        var model = compilation.GetSemanticModel(tree);
        var results = new List<(ExpressionSyntax Expression, ITypeSymbol Type)>();
        var root = (CompilationUnitSyntax)tree.GetRoot();
        foreach (var r in TopLevelReturns(root))
            if (r.Expression is { } e && model.GetTypeInfo(e).Type is { } t) results.Add((e, t));
        if (root.Members.LastOrDefault() is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } last }
            && model.GetTypeInfo(last.Expression).Type is { SpecialType: not SpecialType.System_Void } lastType)
            results.Add((last.Expression, lastType));
        var resultType = results.Count == 0 ? null : results[0].Type;
        var hasValue = resultType is not null && resultType.SpecialType != SpecialType.System_Void;
        var kind = !hasValue || resultType is null ? CSharpResultKind.None : KindOf(resultType);
        foreach (var (expression, type) in results.Skip(1))
        {
            if (KindOf(type) == kind) continue;
            var first = results[0];
            var span = expression.Span;
            messages.Add(new CSharpMessage(true, "VOS0602",
                $"this block returns {Describe(KindOf(type), type)} on line {LineOf(expression)} but {Describe(kind, first.Type)} on line {LineOf(first.Expression)}; "
                + "every return of a block gives the same kind of result (a table, a number, a string or a list)",
                Math.Max(0, span.Start - bodyOffset), span.Length));
            break;
        }
        if (results.Count > 1 && !messages.Any(m => m.IsError) && results.Any(r => !SymbolEqualityComparer.Default.Equals(r.Type, resultType)))
            resultType = kind switch
            {
                CSharpResultKind.Number => compilation.GetSpecialType(SpecialType.System_Double),
                CSharpResultKind.Table => results.First(r => KindOf(r.Type) == kind).Type,
                _ => resultType,
            };
        var functions = compilation.ScriptClass is { } scriptClass
            ? scriptClass.GetMembers().OfType<IMethodSymbol>()
                .Where(m => m.MethodKind == MethodKind.Ordinary && !m.IsImplicitlyDeclared && m.Locations.Any(l => l.SourceTree == tree))
                .Select(m => new CSharpFunction(m.Name, m.IsStatic, m.Parameters.Select(p => ValueTypeName(p.Type)).ToList(), ValueTypeName(m.ReturnType),
                    m.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)))
                .ToList()
            : [];

        byte[]? image = null;
        string? typeName = null;
        var hasErrors = messages.Any(m => m.IsError);
        if (!hasErrors && compilation.GetEntryPoint(CancellationToken.None) is { } entry)
        {
            typeName = entry.ContainingType.MetadataName;
            if (emit)
            {
                using var pe = new MemoryStream();
                var emitted = compilation.Emit(pe, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.Embedded));
                var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                if (emitted.Success) image = pe.ToArray();
                else if (errors.Count == 0) typeName = null; // a submission without code (an empty block): nothing to run
                else
                    foreach (var d in errors)
                        messages.Add(new CSharpMessage(true, d.Id, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), 0, 0));
            }
        }
        var info = new CSharpBlockInfo
        {
            AssemblyName = assemblyName,
            TypeName = typeName,
            Slot = typeName is null ? 0 : slot,
            Kind = kind,
            ResultType = hasValue ? resultType?.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) : null,
            Reads = used.Select(u => u.Name).ToList(),
            Functions = functions,
            Messages = messages,
        };
        return new Compiled(compilation, info, image);
    }

    /// <summary>The script's own <c>return</c> statements: not those of local functions, lambdas or methods it declares.</summary>
    private static IEnumerable<ReturnStatementSyntax> TopLevelReturns(CompilationUnitSyntax root) =>
        root.Members.OfType<GlobalStatementSyntax>()
            .SelectMany(g => g.DescendantNodesAndSelf(n => n is not (LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax
                or BaseMethodDeclarationSyntax or TypeDeclarationSyntax)))
            .OfType<ReturnStatementSyntax>();

    /// <summary>The line in the .vos file (the compiled text carries a #line directive).</summary>
    private static int LineOf(SyntaxNode node) => node.GetLocation().GetMappedLineSpan().StartLinePosition.Line + 1;

    private static string Describe(CSharpResultKind kind, ITypeSymbol type) => kind switch
    {
        CSharpResultKind.Table => "a table",
        CSharpResultKind.Number => $"a number ({type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)})",
        CSharpResultKind.Text => "a string",
        CSharpResultKind.List => "a list",
        _ => $"a {type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}",
    };

    /// <summary>The syntax errors of a block that cannot be compiled because a block before it has errors.</summary>
    public static CSharpBlockInfo SyntaxOnly(string assemblyName, string body)
    {
        var tree = CSharpSyntaxTree.ParseText(body, ParseOptions);
        var messages = tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => new CSharpMessage(true, d.Id, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
                d.Location.SourceSpan.Start, Math.Min(d.Location.SourceSpan.Length, body.Length - d.Location.SourceSpan.Start)))
            .ToList();
        return new CSharpBlockInfo { AssemblyName = assemblyName, Kind = CSharpResultKind.Unsupported, Messages = messages, Compiled = false };
    }

    /// <summary>A file name fit for a <c>#line</c> directive (no quotes or backslashes, which it cannot escape).</summary>
    public static string SafeFileName(string fileName) => fileName.Replace('"', '_').Replace('\\', '/');

    private static CSharpResultKind KindOf(ITypeSymbol type)
    {
        var name = type.ToDisplayString();
        if (name is "VoScript.Dsl.CSharp.ScriptTable" or "VoScript.Engine.Model.Table") return CSharpResultKind.Table;
        if (IsNumber(type)) return CSharpResultKind.Number;
        if (type.SpecialType == SpecialType.System_String) return CSharpResultKind.Text;
        var element = type is IArrayTypeSymbol array ? array.ElementType
            : type.AllInterfaces.Concat(type is INamedTypeSymbol n && n.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T ? [n] : [])
                .FirstOrDefault(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)?.TypeArguments[0];
        return element is not null && (IsNumber(element) || element.SpecialType == SpecialType.System_String)
            ? CSharpResultKind.List
            : CSharpResultKind.Unsupported;
    }

    private static bool IsNumber(ITypeSymbol type) => type.SpecialType is SpecialType.System_Byte or SpecialType.System_SByte
        or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32
        or SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Single or SpecialType.System_Double
        or SpecialType.System_Decimal;

    /// <summary>How a parameter or return type fits the values of a condition: number, text, boolean, or its C# name.</summary>
    private static string ValueTypeName(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable) type = nullable.TypeArguments[0];
        return IsNumber(type) ? "number"
            : type.SpecialType == SpecialType.System_String ? "text"
            : type.SpecialType == SpecialType.System_Boolean ? "boolean"
            : type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
    }
}
