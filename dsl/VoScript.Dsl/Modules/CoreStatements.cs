using Sprache;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Runtime;
using VoScript.Engine;

[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.CoreStatements))]

namespace VoScript.Dsl.Modules;

/// <summary>The core statements: <c>param</c>, <c>let</c>, <c>print</c>, <c>service</c>, <c>load</c>, <c>save</c>, <c>show</c> (engine side: <c>CoreModule</c>).</summary>
internal sealed class CoreStatements : IGrammarModule, ILanguageModule
{
    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements =>
    [
        ("param", () => Grammar.ParamStatement),
        ("let", () => Grammar.LetStatement),
        ("print", () => Grammar.PrintStatement),
        ("service", () => Grammar.ServiceStatement),
        ("load", () => Grammar.LoadStatement),
        ("save", () => Grammar.SaveStatement),
        ("show", () => Grammar.ShowStatement),
    ];

    public IEnumerable<IStatementRules> Rules =>
        [new ParamRules(), new LetRules(), new PrintRules(), new ServiceRules(), new LoadRules(), new SaveRules(), new ShowRules()];
}

internal sealed class ParamRules : StatementRules<ParamStatement>
{
    public override IEnumerable<Symbol> Defines(ParamStatement s, int order, CSharpAnalysis? csharp) => [ValueSymbol(s.Name, s, order) with { IsParam = true }];
    public override IEnumerable<NameUse> Uses(ParamStatement s) => NameUse.Values(s.Value);

    public override void CheckValues(ParamStatement p, ValuePass.Context c)
    {
        var value = c.Eval(p.Value);
        if (value is not null && c.Overrides.TryGetValue(p.Name.Text, out var text))
            value = ValuePass.Override(p, value, text, c.Diagnostics);
        if (value is null) return;
        c.Values.ByName[p.Name.Text] = value;
        c.Values.OfExpression[p.Value] = value;
    }

    public override PlannedStep Plan(ParamStatement p, PlanContext c) =>
        new(new ParamStep { Id = c.Id, Name = p.Name.Text, Value = c.Values.ByName[p.Name.Text] }, PlanContext.Names(p.Value)) { Traits = StepTraits.OnlyForReaders };
}

internal sealed class LetRules : StatementRules<LetStatement>
{
    public override IEnumerable<Symbol> Defines(LetStatement s, int order, CSharpAnalysis? csharp) => [ValueSymbol(s.Name, s, order)];
    public override IEnumerable<NameUse> Uses(LetStatement s) => NameUse.Values(s.Value);

    public override void CheckValues(LetStatement l, ValuePass.Context c)
    {
        if (c.Eval(l.Value) is { } v) c.Values.ByName[l.Name.Text] = v;
    }

    public override PlannedStep Plan(LetStatement l, PlanContext c) =>
        new(new LetStep { Id = c.Id, Name = l.Name.Text, Value = c.Values.ByName[l.Name.Text] }, PlanContext.Names(l.Value)) { Traits = StepTraits.OnlyForReaders };
}

/// <summary><c>print EXPR</c>; a bare name may be a table (its summary) or a value known only at run time.</summary>
internal sealed class PrintRules : StatementRules<PrintStatement>
{
    public override IEnumerable<NameUse> Uses(PrintStatement s) => s.Value is NameReference n ? [NameUse.ValueOrTable(n.Name)] : NameUse.Values(s.Value);

    public override void CheckValues(PrintStatement p, ValuePass.Context c)
    {
        if (p.Value is NameReference n && c.Symbols.Find(n.Name.Text) is { Kind: SymbolKind.Table or SymbolKind.ServiceSet } or { IsRuntimeValue: true }) return;
        c.Eval(p.Value);
    }

    public override IEnumerable<Identifier> TablesRead(PrintStatement p, SymbolTable symbols, CSharpAnalysis? csharp) =>
        p.Value is NameReference n && symbols.Find(n.Name.Text)?.Kind is SymbolKind.Table or SymbolKind.ServiceSet ? [n.Name] : [];

    public override PlannedStep Plan(PrintStatement p, PlanContext c)
    {
        if (p.Value is NameReference n && c.Symbols.Find(n.Name.Text) is { } symbol && (symbol.Kind is SymbolKind.Table or SymbolKind.ServiceSet || symbol.IsRuntimeValue))
            return new(symbol.Kind is SymbolKind.Table or SymbolKind.ServiceSet ? new PrintStep { Id = c.Id, Table = n.Name.Text } : new PrintStep { Id = c.Id, Value = n.Name.Text },
                [n.Name.Text]) { Traits = StepTraits.Effect };
        return new(new PrintStep { Id = c.Id, Text = c.Value(p.Value).ToDisplay() }, PlanContext.Names(p.Value)) { Traits = StepTraits.Effect };
    }
}

/// <summary><c>service NAME = KIND "URL"</c>: a plan service, no step.</summary>
internal sealed class ServiceRules : StatementRules<ServiceStatement>
{
    public override IEnumerable<Symbol> Defines(ServiceStatement s, int order, CSharpAnalysis? csharp) =>
        [new Symbol(s.Name.Text, SymbolKind.Service, s.Name, s, order) { Protocol = ServiceProtocols.Parse(s.Kind.Text) }];

    public override IEnumerable<NameUse> Uses(ServiceStatement s) => NameUse.Values(s.Url);

    public override void CheckValues(ServiceStatement sv, ValuePass.Context c)
    {
        if (c.Eval(sv.Url) is not { } url) return;
        // an address from a param overridden on the command line: say so, the script itself is fine
        var given = sv.Url is NameReference un && c.Overrides.ContainsKey(un.Name.Text) ? $" (given by --param {un.Name.Text})" : "";
        if (url is not StringValue su) c.Error(sv.Url, Diagnostics.DiagnosticCodes.TypeMismatch, $"the address of a service must be a string like \"https://…\", found {ValuePass.Describe(url)}");
        else if (!Uri.TryCreate(su.Value, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            c.Error(sv.Url, Diagnostics.DiagnosticCodes.TypeMismatch, $"'{su.Value}'{given} is not an http or https address");
    }

    public override PlannedStep? Plan(ServiceStatement sv, PlanContext c)
    {
        c.AddService(new PlanService(sv.Name.Text, ServiceProtocols.Parse(sv.Kind.Text)!.Value, c.Text(sv.Url)));
        return null;
    }
}

internal sealed class LoadRules : StatementRules<LoadStatement>
{
    public override IEnumerable<Symbol> Defines(LoadStatement s, int order, CSharpAnalysis? csharp) => [TableSymbol(s.Output, s, order)];
    public override IEnumerable<NameUse> Uses(LoadStatement s) => NameUse.Values(s.File);
    /// <summary>
    /// <c>load</c> takes any file name: the format is decided by the file's content when the script runs (a VOTable
    /// named <c>.dat</c>, FITS named <c>.bin</c>, gzip of either). Standard input (<c>-</c>) stays out of scripts.
    /// </summary>
    public override void CheckValues(LoadStatement s, ValuePass.Context c)
    {
        if (c.Eval(s.File) is not { } v) return;
        if (v is not StringValue f) c.Error(s.File, DiagnosticCodes.TypeMismatch, $"a file name must be a string, found {ValuePass.Describe(v)}");
        else if (string.IsNullOrWhiteSpace(f.Value)) c.Error(s.File, DiagnosticCodes.BadFileName, "the file name is empty: name the table file to load");
        else if (f.Value.Trim() == "-")
            c.Error(s.File, DiagnosticCodes.BadFileName, "a script cannot load standard input ('-'): name a file (voscript show - and convert - read standard input)");
    }

    public override PlannedStep Plan(LoadStatement l, PlanContext c) =>
        new(new LoadStep { Id = c.Id, Path = c.Text(l.File), Output = l.Output.Text }, PlanContext.Names(l.File)) { Traits = StepTraits.AfterEffects };
}

internal sealed class SaveRules : StatementRules<SaveStatement>
{
    public override IEnumerable<NameUse> Uses(SaveStatement s) => [NameUse.Table(s.Table), .. NameUse.Values(s.File)];
    public override void CheckValues(SaveStatement s, ValuePass.Context c)
    {
        c.FileName(s.File);
        if (s.Serialization is { } ser) c.Serialization(ser, s.File);
    }
    public override IEnumerable<Identifier> TablesRead(SaveStatement s, SymbolTable symbols, CSharpAnalysis? csharp) => [s.Table];

    public override PlannedStep Plan(SaveStatement s, PlanContext c) =>
        new(new SaveStep
        {
            Id = c.Id, Table = s.Table.Text, Path = c.Text(s.File),
            Serialization = s.Serialization is { } ser ? Enum.Parse<VoScript.Engine.Formats.VOTable.VOTableSerialization>(ser.Text, ignoreCase: true) : null,
        }, [s.Table.Text, .. PlanContext.Names(s.File)]) { Traits = StepTraits.Effect };
}

internal sealed class ShowRules : StatementRules<ShowStatement>
{
    public override IEnumerable<NameUse> Uses(ShowStatement s) => [NameUse.Table(s.Table), .. NameUse.Values(s.Limit)];
    public override void CheckValues(ShowStatement s, ValuePass.Context c) => c.Count(s.Limit, "limit", allowZero: false);
    public override IEnumerable<Identifier> TablesRead(ShowStatement s, SymbolTable symbols, CSharpAnalysis? csharp) => [s.Table];

    public override PlannedStep Plan(ShowStatement s, PlanContext c) =>
        new(new ShowStep { Id = c.Id, Table = s.Table.Text, Limit = (int)Math.Min(int.MaxValue, c.Count(s.Limit) ?? 20) },
            [s.Table.Text, .. PlanContext.Names(s.Limit)]) { Traits = StepTraits.Effect };
}
