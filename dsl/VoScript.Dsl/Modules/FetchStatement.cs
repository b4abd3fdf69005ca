using Sprache;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine.Model;

[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.FetchStatements))]

// each statement's syntax, declared once (StatementCatalog reads these)
[assembly: VoScript.Dsl.Syntax.StatementSyntax("fetch", "fetch TABLE [column C] to \"DIR/\" [as NAME] [on error continue]",
    "download the files a table points at (access_url, DataLink #this) into a folder; NAME (TABLE_files) lists path, size, status, error")]

namespace VoScript.Dsl.Modules;

// The language side of `fetch T [column C] to "DIR/" [as NAME] [on error continue]` (engine side: FetchStep and
// FetchHandler in engine/VoScript.Engine/Plans/Handlers/FetchHandler.cs, registered by DalModule; the downloader
// is Protocols/Products/).

/// <summary><c>fetch TABLE [column C] to "DIR/" [as NAME] [on error continue]</c>.</summary>
internal sealed record FetchStatement(
    SourceSpan Span, Identifier Table, Identifier? Column, Expression Directory, Identifier? Output, SourceSpan? ContinueOnError) : Statement(Span)
{
    /// <summary>The result table's name: the one given, else TABLE_files.</summary>
    public Identifier OutputName => Output ?? new Identifier(Table.Span, Table.Text + "_files");
}

internal sealed class FetchStatements : IGrammarModule, ILanguageModule
{
    private static Parser<Statement> Parser =>
        from kw in Lexemes.Keyword("fetch")
        from table in Lexemes.Name("a table of data products")
        from column in (from c in Lexemes.Keyword("column") from n in Lexemes.ColumnName("the column of URLs") select n).XOptional()
        from to in Lexemes.Keyword("to")
        from dir in Grammar.Expr
        from output in (from a in Lexemes.Keyword("as") from n in Lexemes.Name("a name for the table of files") select n).XOptional()
        from cont in Grammar.OnErrorContinue.XOptional()
        select (Statement)new FetchStatement(
            SourceSpan.Cover(kw.Span, cont.IsDefined ? cont.Get() : output.IsDefined ? output.Get().Span : dir.Span),
            table, column.GetOrDefault(), dir, output.GetOrDefault(), cont.IsDefined ? cont.Get() : null);

    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements => [("fetch", () => Parser)];

    public IEnumerable<IStatementRules> Rules => [new FetchRules()];
}

internal sealed class FetchRules : StatementRules<FetchStatement>, IColumnRules
{
    /// <summary>The columns fetch adds to the rows of its table (a name the table has already gets the prefix fetch_).</summary>
    private static readonly Field[] Added =
    [
        new("path", DataType.Char, ArraySize.Variable), new("size", DataType.Long),
        new("status", DataType.Char, ArraySize.Variable), new("error", DataType.Char, ArraySize.Variable),
    ];

    public override IEnumerable<Symbol> Defines(FetchStatement s, int order, CSharpAnalysis? csharp) => [TableSymbol(s.OutputName, s, order)];

    public override IEnumerable<NameUse> Uses(FetchStatement s) => [NameUse.Table(s.Table), .. NameUse.Values(s.Directory)];

    public override void CheckValues(FetchStatement s, ValuePass.Context c)
    {
        if (c.Eval(s.Directory) is not { } v) return;
        if (v is not StringValue dir)
            c.Error(s.Directory, DiagnosticCodes.TypeMismatch, $"the folder to fetch into must be a string like \"spectra/\", found {ValuePass.Describe(v)}");
        else if (dir.Value.Trim().Length == 0)
            c.Error(s.Directory, DiagnosticCodes.BadFileName, "the folder to fetch into is empty; write one like \"spectra/\" (\"./\" for the current folder)");
        else if (TableFiles.FormatOf(dir.Value) is not null && !dir.Value.EndsWith('/'))
            c.Error(s.Directory, DiagnosticCodes.BadFileName,
                $"'{dir.Value}' looks like a table file; fetch writes the files into a folder: write \"{Path.GetFileNameWithoutExtension(dir.Value)}/\" (save writes a table)");
    }

    public override IEnumerable<Identifier> TablesRead(FetchStatement s, SymbolTable symbols, CSharpAnalysis? csharp) => [s.Table];

    public KnownColumns? Columns(Statement statement, ColumnContext c)
    {
        var s = (FetchStatement)statement;
        var madeBy = $"fetch on line {s.Span.Line}";
        if (c.Known(s.Table) is not { } input) return new KnownColumns(Added, false, madeBy);
        if (s.Column is { } col && input.Complete && !input.Fields.Any(f => f.Name.Equals(col.Text, StringComparison.OrdinalIgnoreCase)))
            c.UnknownColumn(col.Span, col.Text, s.Table.Text, input);
        var fields = input.Fields.ToList();
        foreach (var a in Added)
        {
            var name = fields.Any(f => f.Name.Equals(a.Name, StringComparison.OrdinalIgnoreCase)) ? "fetch_" + a.Name : a.Name;
            fields.Add(new Field(name, a.DataType, a.ArraySize));
        }
        return new KnownColumns(fields, input.Complete, madeBy) { Typed = input.Typed };
    }

    public override PlannedStep Plan(FetchStatement s, PlanContext c) => new(new FetchStep
    {
        Id = c.Id, Table = s.Table.Text, Column = s.Column?.Text, Directory = c.Text(s.Directory),
        Output = s.OutputName.Text, ContinueOnServiceError = s.ContinueOnError is not null,
    }, [s.Table.Text, .. PlanContext.Names(s.Directory)]) { Traits = StepTraits.Effect };
}
