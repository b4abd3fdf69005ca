// each statement's syntax, declared once (StatementCatalog reads these)
[assembly: VoScript.Dsl.Syntax.StatementSyntax("csharp", "csharp { ... } [as NAME]",
    "a C# escape hatch: C# with the workspace's tables and values in scope; its result (a table, a value or nothing) becomes NAME")]

namespace VoScript.Dsl.Syntax;

/// <summary>
/// The C# text between the braces of a <c>csharp { … }</c> block, as written. <see cref="Node.Span"/>
/// covers exactly that text (without the braces): its line and column are where the first
/// character after <c>{</c> stands, which is how compiler messages are mapped back to the script.
/// </summary>
/// <param name="Span">Where it is in the script.</param>
/// <param name="Text">The C# source.</param>
public sealed record CSharpCode(SourceSpan Span, string Text) : Node(Span);

/// <summary>A <c>csharp { … } [as NAME]</c> statement.</summary>
/// <param name="Span">Where it is in the script.</param>
/// <param name="Keyword">The word <c>csharp</c>.</param>
/// <param name="Code">The block.</param>
/// <param name="Output">The name of the result, if given.</param>
public sealed record CSharpStatement(SourceSpan Span, Identifier Keyword, CSharpCode Code, Identifier? Output) : Statement(Span);
