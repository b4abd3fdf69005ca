using VoScript.Engine.Model.Units;

namespace VoScript.Engine.Science.Selection;

/// <summary>Where an expression is used: it decides which functions are allowed and what <c>count</c> means.</summary>
public enum ExprContext
{
    /// <summary>A row's value (<c>select … where</c>, <c>derive</c>): aggregates other than count-per-object are errors.</summary>
    Row,
    /// <summary>A group's value (<c>group … with</c>): aggregates over the group's rows; bare columns only when they are keys.</summary>
    Group,
}

/// <summary>Where an expression came from in the source text (set by the language; null for expressions built in C#).</summary>
public readonly record struct ExprSpan(int Start, int Length);

/// <summary>
/// An expression over the columns of a table, for <c>select T where EXPR</c>: immutable nodes,
/// checked against a table's columns by <see cref="ExpressionChecker"/> and evaluated a whole
/// column at a time by <see cref="ExpressionEvaluator"/>.
/// </summary>
public abstract record Expr
{
    /// <summary>Position in the source text, for diagnostics.</summary>
    public ExprSpan? Span { get; init; }

    // Small builders so that hosts can write Expr.Col("mag") < 18 & !Expr.IsNull(Expr.Col("mag_err")).
    /// <summary>A column reference.</summary>
    public static ColumnRef Col(string name) => new(name);
    /// <summary>A number literal.</summary>
    public static Literal Num(double v) => new(v);
    /// <summary>An integer constant, compared exactly with integer columns (ids above 2^53).</summary>
    public static Literal Int(long v) => new(v);
    /// <summary>A string literal.</summary>
    public static Literal Text(string v) => new(v);
    /// <summary>A boolean literal.</summary>
    public static Literal Bool(bool v) => new(v);
    /// <summary><c>abs(e)</c>.</summary>
    public static Call Abs(Expr e) => new("abs", [e]);
    /// <summary><c>isnull(e)</c>.</summary>
    public static Call IsNull(Expr e) => new("isnull", [e]);
    /// <summary><c>count()</c>, or <c>count(condition)</c>.</summary>
    public static Call Count(Expr? condition = null) => new("count", condition is null ? [] : [condition]);
    /// <summary>A number with a unit, e.g. <c>Expr.Quantity(2, "arcsec")</c>.</summary>
    public static Literal Quantity(double v, string unit) => new(v) { Unit = unit };
    /// <summary>Any function by name (<c>Expr.Fn("separation", ra, dec, 150, 2.2)</c>).</summary>
    public static Call Fn(string name, params Expr[] args) => new(name, args);

    /// <summary>a + b</summary>
    public static Binary operator +(Expr a, Expr b) => new(BinaryOp.Add, a, b);
    /// <summary>a - b</summary>
    public static Binary operator -(Expr a, Expr b) => new(BinaryOp.Subtract, a, b);
    /// <summary>a * b</summary>
    public static Binary operator *(Expr a, Expr b) => new(BinaryOp.Multiply, a, b);
    /// <summary>a / b</summary>
    public static Binary operator /(Expr a, Expr b) => new(BinaryOp.Divide, a, b);
    /// <summary>a &lt; b</summary>
    public static Binary operator <(Expr a, Expr b) => new(BinaryOp.Less, a, b);
    /// <summary>a &lt;= b</summary>
    public static Binary operator <=(Expr a, Expr b) => new(BinaryOp.LessOrEqual, a, b);
    /// <summary>a &gt; b</summary>
    public static Binary operator >(Expr a, Expr b) => new(BinaryOp.Greater, a, b);
    /// <summary>a &gt;= b</summary>
    public static Binary operator >=(Expr a, Expr b) => new(BinaryOp.GreaterOrEqual, a, b);
    /// <summary>a and b</summary>
    public static Binary operator &(Expr a, Expr b) => new(BinaryOp.And, a, b);
    /// <summary>a or b</summary>
    public static Binary operator |(Expr a, Expr b) => new(BinaryOp.Or, a, b);
    /// <summary>not a</summary>
    public static Unary operator !(Expr a) => new(UnaryOp.Not, a);
    /// <summary>-a</summary>
    public static Unary operator -(Expr a) => new(UnaryOp.Negate, a);
    /// <summary>A number literal.</summary>
    public static implicit operator Expr(double v) => new Literal(v);
    /// <summary>A string literal.</summary>
    public static implicit operator Expr(string v) => new Literal(v);
    /// <summary>a = b</summary>
    public static Binary Eq(Expr a, Expr b) => new(BinaryOp.Equal, a, b);
    /// <summary>a != b</summary>
    public static Binary Ne(Expr a, Expr b) => new(BinaryOp.NotEqual, a, b);
}

/// <summary>A column of the table, by name (exact, else ignoring case).</summary>
public sealed record ColumnRef(string Name) : Expr
{
    /// <summary>The name as a script writes it: in backquotes when it is not a plain word (<c>`B-V`</c>, <c>`n obs`</c>).</summary>
    public override string ToString() => ScriptNames.Column(Name);
}

/// <summary>A constant: a double, a long (exact integer), a string, a bool, or null; a number may carry a unit (<c>2 arcsec</c>).</summary>
public sealed record Literal(object? Value) : Expr
{
    /// <summary>The unit of a number (<c>arcsec</c> in <c>2 arcsec</c>); null for none.</summary>
    public string? Unit { get; init; }

    /// <summary>
    /// The script's <c>param</c> or <c>let</c> name this value was written as (<c>mag &lt; limit</c>), or null.
    /// A column of the same name in the table the expression runs on wins over the value.
    /// </summary>
    public string? Name { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Unit is null ? ValueText : ValueText + " " + Unit;

    private string ValueText => Value switch
    {
        null => "null",
        string s => "\"" + s.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        long i => i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => Value.ToString() ?? "",
    };
}

/// <summary>Operators of one operand.</summary>
public enum UnaryOp
{
    /// <summary>not</summary>
    Not,
    /// <summary>minus</summary>
    Negate,
}

/// <summary>not E, -E.</summary>
public sealed record Unary(UnaryOp Op, Expr Operand) : Expr
{
    /// <inheritdoc/>
    public override string ToString() => Op == UnaryOp.Not ? $"not {Operand}" : $"-{Operand}";
}

/// <summary>Operators of two operands.</summary>
public enum BinaryOp
{
    /// <summary>+</summary>
    Add,
    /// <summary>-</summary>
    Subtract,
    /// <summary>*</summary>
    Multiply,
    /// <summary>/</summary>
    Divide,
    /// <summary>=</summary>
    Equal,
    /// <summary>!=</summary>
    NotEqual,
    /// <summary>&lt;</summary>
    Less,
    /// <summary>&lt;=</summary>
    LessOrEqual,
    /// <summary>&gt;</summary>
    Greater,
    /// <summary>&gt;=</summary>
    GreaterOrEqual,
    /// <summary>and</summary>
    And,
    /// <summary>or</summary>
    Or,
}

/// <summary>Arithmetic, comparison or logic between two expressions.</summary>
public sealed record Binary(BinaryOp Op, Expr Left, Expr Right) : Expr
{
    /// <summary>The operator as the language writes it.</summary>
    public static string Symbol(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        BinaryOp.Divide => "/",
        BinaryOp.Equal => "=",
        BinaryOp.NotEqual => "!=",
        BinaryOp.Less => "<",
        BinaryOp.LessOrEqual => "<=",
        BinaryOp.Greater => ">",
        BinaryOp.GreaterOrEqual => ">=",
        BinaryOp.And => "and",
        BinaryOp.Or => "or",
        _ => op.ToString(),
    };

    /// <inheritdoc/>
    public override string ToString() => $"({Left} {Symbol(Op)} {Right})";
}

/// <summary>
/// A function call: one of <see cref="Functions"/> (<c>abs</c>, <c>if</c>, <c>separation</c>, …) or an
/// aggregate of <c>group</c>. <c>count()</c> outside <c>group</c> = rows of the same object
/// (SED tables: same object_id; clustered tables: same group_id); <c>count(condition)</c> = rows
/// of the same object where the condition is true.
/// </summary>
public sealed record Call(string Function, IReadOnlyList<Expr> Args) : Expr
{
    /// <summary>A function the host supplies (e.g. a static C# function of a <c>csharp</c> block); null for the built-in ones.</summary>
    public HostFunction? Host { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Function}({string.Join(", ", Args)})";

    /// <summary>Equality by function and arguments.</summary>
    public bool Equals(Call? other) => other is not null && Function == other.Function && Args.SequenceEqual(other.Args);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Function, Args.Count);
}

/// <summary>
/// A function a host adds to conditions: its parameter and result types, and the code, called
/// once per row with the argument values (double, string or bool; null for a null cell).
/// Exceptions it throws fail the step; <see cref="VoScriptException"/> for ones a user can understand.
/// </summary>
public sealed record HostFunction(string Name, IReadOnlyList<ExprType> Parameters, ExprType Result, Func<object?[], object?> Invoke);
