using Sprache;
using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Parsing;

internal static partial class Grammar
{
    private static Parser<RunArgument> RunArgument =>
        from name in Lexemes.Name("an argument name")
        from eq in Lexemes.Symbol('=')
        from value in Expr
        select new RunArgument(SourceSpan.Cover(name.Span, value.Span), name, value);

    /// <summary>After the arguments: a word that is not 'as' means a missing comma (or a stray word).</summary>
    private static readonly Parser<int> RunArgumentsEnd = input =>
    {
        var at = Lexemes.SkipInline(input);
        var (word, _) = Lexemes.ReadWord(at);
        return word.Length == 0 || word == "as"
            ? Result.Success(0, input)
            : Lexemes.Fail<int>(input, "','", "'as'", "end of line");
    };

    internal static Parser<Statement> RunStatement =>
        from kw in Lexemes.Keyword("run")
        from kind in Lexemes.Name("a step kind")
        from first in RunArgument.Optional()
        from rest in first.IsDefined
            ? (from comma in Lexemes.Symbol(',') from a in RunArgument select a).Many()
            : Parse.Return(Enumerable.Empty<RunArgument>())
        from output in (from @as in Lexemes.Keyword("as") from n in Lexemes.Name("a table name") select n).XOptional()
        from end in output.IsDefined ? Parse.Return(0) : RunArgumentsEnd
        select (Statement)new RunStatement(
            SourceSpan.Cover(kw.Span, output.IsDefined ? output.Get().Span : rest.LastOrDefault()?.Span ?? (first.IsDefined ? first.Get().Span : kind.Span)),
            kind, first.IsDefined ? [first.Get(), .. rest] : [], output.GetOrDefault());
}
