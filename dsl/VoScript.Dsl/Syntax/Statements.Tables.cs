// each statement's syntax, declared once (StatementCatalog reads these)
[assembly: VoScript.Dsl.Syntax.StatementSyntax("load", "load FILE as NAME", "read a table file (VOTable or CSV, by extension)")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("save", "save T to FILE [as tabledata|binary|binary2]", "write a table to a file (VOTable or CSV, by extension; a VOTable's serialization)")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("show", "show T [limit N]", "print the first rows of a table (20 unless limit says)")]

namespace VoScript.Dsl.Syntax;

internal sealed record LoadStatement(SourceSpan Span, Expression File, Identifier Output) : Statement(Span);

internal sealed record SaveStatement(SourceSpan Span, Identifier Table, Expression File, Identifier? Serialization = null) : Statement(Span);

internal sealed record ShowStatement(SourceSpan Span, Identifier Table, Expression? Limit) : Statement(Span);
