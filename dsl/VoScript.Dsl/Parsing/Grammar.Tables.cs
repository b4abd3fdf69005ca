using Sprache;
using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Parsing;

internal static partial class Grammar
{
    internal static Parser<Statement> LoadStatement =>
        from kw in Lexemes.Keyword("load")
        from file in Expr
        from @as in Lexemes.Keyword("as")
        from name in Lexemes.Name("a table name")
        select (Statement)new LoadStatement(SourceSpan.Cover(kw.Span, name.Span), file, name);

    internal static Parser<Statement> SaveStatement =>
        from kw in Lexemes.Keyword("save")
        from table in Lexemes.Name("a table name")
        from to in Lexemes.Keyword("to")
        from file in Expr
        select (Statement)new SaveStatement(SourceSpan.Cover(kw.Span, file.Span), table, file);

    internal static Parser<Statement> ShowStatement =>
        from kw in Lexemes.Keyword("show")
        from table in Lexemes.Name("a table name")
        from limit in (from l in Lexemes.Keyword("limit") from n in Expr select n).XOptional()
        select (Statement)new ShowStatement(
            SourceSpan.Cover(kw.Span, limit.IsDefined ? limit.Get().Span : table.Span), table, limit.GetOrDefault());
}
