namespace VoScript.Dsl.Syntax;

/// <summary>
/// The C# text between the braces of a <c>csharp { … }</c> block, as written. <see cref="Node.Span"/>
/// covers exactly that text (without the braces): its line and column are where the first
/// character after <c>{</c> stands, which is how compiler messages are mapped back to the script.
/// </summary>
internal sealed record CSharpCode(SourceSpan Span, string Text) : Node(Span);

[StatementSyntax("csharp", "csharp { ... } [as NAME]",
    "a C# escape hatch: C# with the workspace's tables and values in scope; its result (a table, a value or nothing) becomes NAME")]
internal sealed record CSharpStatement(SourceSpan Span, Identifier Keyword, CSharpCode Code, Identifier? Output) : Statement(Span);
