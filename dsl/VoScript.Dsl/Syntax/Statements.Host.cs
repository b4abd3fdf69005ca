// each statement's syntax, declared once (StatementCatalog reads these)
[assembly: VoScript.Dsl.Syntax.StatementSyntax("run", "run KIND [NAME = VALUE, ...] [as NAME]",
    "a step the host program provides (its own catalog source, filter, export), with named arguments the host checks")]

namespace VoScript.Dsl.Syntax;

/// <summary>
/// <c>run KIND name = value, … [as NAME]</c>: a step of a kind the host registered
/// (<c>VoScript.Hosting.IHostStep</c>). An argument that is just a name may name a table.
/// </summary>
internal sealed record RunStatement(SourceSpan Span, Identifier Kind, IReadOnlyList<RunArgument> Arguments, Identifier? Output) : Statement(Span);

/// <summary>One <c>name = value</c> of a <see cref="RunStatement"/>.</summary>
internal sealed record RunArgument(SourceSpan Span, Identifier Name, Expression Value) : Node(Span);
