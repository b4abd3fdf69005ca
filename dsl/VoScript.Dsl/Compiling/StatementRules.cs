using VoScript.Dsl.Syntax;
using VoScript.Engine;
using VoScript.Engine.Runtime;

namespace VoScript.Dsl.Compiling;

/// <summary>A name a statement uses: the kind it must be and, for a service, the protocols that fit (an empty list: a value or a table, as <c>print NAME</c> takes).</summary>
public readonly record struct NameUse(Identifier Id, SymbolKind Kind, ServiceProtocol[]? Allowed = null)
{
    /// <summary>The value names inside expressions.</summary>
    public static IEnumerable<NameUse> Values(params Expression?[] expressions) =>
        expressions.SelectMany(SyntaxWalk.Names).Select(n => new NameUse(n, SymbolKind.Value));

    /// <summary>A table name.</summary>
    public static NameUse Table(Identifier id) => new(id, SymbolKind.Table);

    /// <summary>A name that may be a value or a table.</summary>
    public static NameUse ValueOrTable(Identifier id) => new(id, SymbolKind.Value, []);
}

/// <summary>
/// What the compiler passes need of one statement type: the names it defines and uses, its value checks,
/// the tables it reads and its plan step. A language module gives one per statement type
/// (<see cref="ILanguageModule"/>); the passes ask <see cref="StatementRulesCatalog"/> and know no statement themselves.
/// </summary>
public interface IStatementRules
{
    /// <summary>The statement type these rules are for.</summary>
    Type StatementType { get; }
    /// <summary>The names (tables, values, services) the statement defines; <paramref name="order"/> is its position in the script.</summary>
    IEnumerable<Symbol> Defines(Statement statement, int order, CSharpAnalysis? csharp);
    /// <summary>The names the statement reads, with the kind each must be.</summary>
    IEnumerable<NameUse> Uses(Statement statement);
    /// <summary>Checks the statement's values (units, counts, file names) through <paramref name="context"/>.</summary>
    void CheckValues(Statement statement, ValuePass.Context context);
    /// <summary>The tables the statement reads (for the await check).</summary>
    IEnumerable<Identifier> TablesRead(Statement statement, SymbolTable symbols, CSharpAnalysis? csharp);
    /// <summary>The plan step for the statement, or null if it makes none.</summary>
    PlannedStep? Plan(Statement statement, PlanContext context);
}

/// <summary>The rules of the statements of type <typeparamref name="T"/>; override what applies.</summary>
internal abstract class StatementRules<T> : IStatementRules where T : Statement
{
    public Type StatementType => typeof(T);

    /// <summary>The names the statement defines (for the name pass).</summary>
    public virtual IEnumerable<Symbol> Defines(T statement, int order, CSharpAnalysis? csharp) => [];

    /// <summary>The names the statement uses, each with the kind it must be.</summary>
    public virtual IEnumerable<NameUse> Uses(T statement) => [];

    /// <summary>Evaluates and checks the statement's values (units, counts, file names), reporting through <paramref name="context"/>.</summary>
    public virtual void CheckValues(T statement, ValuePass.Context context) { }

    /// <summary>The tables the statement reads (an async result must be awaited before).</summary>
    public virtual IEnumerable<Identifier> TablesRead(T statement, SymbolTable symbols, CSharpAnalysis? csharp) => [];

    /// <summary>The statement's plan step, or null when it makes none (a service, an empty <c>await all</c>).</summary>
    public abstract PlannedStep? Plan(T statement, PlanContext context);

    IEnumerable<Symbol> IStatementRules.Defines(Statement statement, int order, CSharpAnalysis? csharp) => Defines((T)statement, order, csharp);
    IEnumerable<NameUse> IStatementRules.Uses(Statement statement) => Uses((T)statement);
    void IStatementRules.CheckValues(Statement statement, ValuePass.Context context) => CheckValues((T)statement, context);
    IEnumerable<Identifier> IStatementRules.TablesRead(Statement statement, SymbolTable symbols, CSharpAnalysis? csharp) => TablesRead((T)statement, symbols, csharp);
    PlannedStep? IStatementRules.Plan(Statement statement, PlanContext context) => Plan((T)statement, context);

    /// <summary>A table the statement defines.</summary>
    protected static Symbol TableSymbol(Identifier id, Statement statement, int order) => new(id.Text, SymbolKind.Table, id, statement, order);

    /// <summary>A value the statement defines.</summary>
    protected static Symbol ValueSymbol(Identifier id, Statement statement, int order) => new(id.Text, SymbolKind.Value, id, statement, order);
}

/// <summary>A language module: the rules of the statements of one area (<c>Modules/</c>; the C# module in <c>CSharp/</c>).</summary>
internal interface ILanguageModule
{
    IEnumerable<IStatementRules> Rules { get; }
}

/// <summary>The rules of every statement type, from the language modules of <see cref="LanguageModules"/>.</summary>
internal static class StatementRulesCatalog
{
    private static readonly Lazy<IReadOnlyDictionary<Type, IStatementRules>> ByType = new(() =>
    {
        var byType = new Dictionary<Type, IStatementRules>();
        foreach (var module in LanguageModules.Of<ILanguageModule>())
            foreach (var rules in module.Rules)
                if (!byType.TryAdd(rules.StatementType, rules))
                    throw new InvalidOperationException($"two modules give rules for {rules.StatementType.Name}");
        return byType;
    });

    /// <summary>The rules of <paramref name="statement"/>'s type.</summary>
    /// <exception cref="InvalidOperationException">no module gives them (a statement type added without its module: a bug).</exception>
    public static IStatementRules For(Statement statement) =>
        ByType.Value.GetValueOrDefault(statement.GetType())
        ?? throw new InvalidOperationException($"no language module gives the rules of {statement.GetType().Name}; add it to a module in Modules/");

    /// <summary>The statement types that have rules.</summary>
    public static IEnumerable<Type> StatementTypes => ByType.Value.Keys;
}

/// <summary>A statement's step and how it is ordered among the others.</summary>
/// <param name="Step">the step (its id is the context's; dependencies and origin are filled in by the plan builder).</param>
/// <param name="Reads">the names (tables and values) it needs: it runs after the steps that make them.</param>
public sealed record PlannedStep(PlanStep Step, IEnumerable<string> Reads)
{
    /// <summary>
    /// How it orders beyond the data it reads (<see cref="StepTraits"/>): a visible effect (print, save, send, …) keeps its
    /// place after every earlier step except unawaited async queries; an async query is waited for by later effects only
    /// once it is awaited; a param or let only by its readers; a load waits for the previous effect only.
    /// </summary>
    public StepTraits Traits { get; init; }

    /// <summary>Steps of the same chain run one after the other (the csharp blocks share one chain of submissions).</summary>
    public string? Chain { get; init; }
}

/// <summary>What a statement's rules get to build its step.</summary>
public sealed class PlanContext
{
    private readonly List<PlanService> _services;

    internal PlanContext(List<PlanService> services) => _services = services;

    /// <summary>The id the step must have.</summary>
    public required string Id { get; init; }
    /// <summary>The names the script defines.</summary>
    public required SymbolTable Symbols { get; init; }
    /// <summary>The values of the script's expressions.</summary>
    public required ValueTable Values { get; init; }

    /// <summary>For each async result, the await statement that names it first.</summary>
    public required IReadOnlyDictionary<string, AwaitStatement> AwaitedBy { get; init; }

    /// <summary>The async results not awaited yet, in order.</summary>
    public required IReadOnlyList<string> PendingAsync { get; init; }
    /// <summary>The analysis of the <c>csharp</c> blocks, if the script has any.</summary>
    public CSharpAnalysis? CSharp { get; init; }

    /// <summary>The script's file name as plans show it, and its full path for C# line mapping.</summary>
    public required string FileName { get; init; }
    /// <summary>The script's file name (for relative paths and messages).</summary>
    public required string SourceFile { get; init; }

    /// <summary>Adds a service to the plan (a <c>service</c> statement makes no step).</summary>
    public void AddService(PlanService service) => _services.Add(service);

    /// <summary>The value of <paramref name="e"/>.</summary>
    public PlanValue Value(Expression e) => Values[e];
    /// <summary>The number <paramref name="e"/> evaluates to.</summary>
    public double Number(Expression e) => ((NumberValue)Values[e]).Value;
    /// <summary>The string <paramref name="e"/> evaluates to.</summary>
    public string Text(Expression e) => ((StringValue)Values[e]).Value;
    /// <summary>The duration <paramref name="e"/> evaluates to, or null when there is no expression.</summary>
    public TimeSpan? Duration(Expression? e) => e is null ? null : ((NumberValue)Values[e]).AsTimeSpan();
    /// <summary>The count <paramref name="e"/> evaluates to, or null when there is no expression.</summary>
    public long? Count(Expression? e) => e is null ? null : (long)((NumberValue)Values[e]).Value;

    /// <summary>The value names inside expressions (what a step reads).</summary>
    public static IEnumerable<string> Names(params Expression?[] expressions) => expressions.SelectMany(SyntaxWalk.Names).Select(n => n.Text);
}
