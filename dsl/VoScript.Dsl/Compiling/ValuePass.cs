using System.Globalization;
using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;

namespace VoScript.Dsl.Compiling;

/// <summary>The values of a script: each expression's value, and each param/let by name.</summary>
public sealed class ValueTable
{
    /// <summary>Values by expression node.</summary>
    public Dictionary<Expression, PlanValue> OfExpression { get; } = new(ReferenceEqualityComparer.Instance);
    /// <summary>Values by name (params and lets).</summary>
    public Dictionary<string, PlanValue> ByName { get; } = new(StringComparer.Ordinal);

    /// <summary>The value of <paramref name="e"/>.</summary>
    public PlanValue this[Expression e] => OfExpression[e];
}

/// <summary>
/// Pass 2, values and units: evaluates params (with command-line overrides) and
/// lets, checks that angles are angles and durations durations, that counts are
/// whole numbers and file names have known extensions. Angles become degrees,
/// durations seconds.
/// </summary>
public static class ValuePass
{
    private static readonly Dictionary<string, (Quantity Quantity, double Factor)> UnitFactors = new(StringComparer.Ordinal)
    {
        ["deg"] = (Quantity.Angle, 1),
        ["arcmin"] = (Quantity.Angle, 1 / 60.0),
        ["arcsec"] = (Quantity.Angle, 1 / 3600.0),
        ["mas"] = (Quantity.Angle, 1 / 3_600_000.0),
        ["ms"] = (Quantity.Duration, 0.001),
        ["s"] = (Quantity.Duration, 1),
        ["min"] = (Quantity.Duration, 60),
        ["h"] = (Quantity.Duration, 3600),
    };

    /// <summary>Evaluates the script's values with the given parameter overrides, adding problems to <paramref name="diagnostics"/>.</summary>
    public static ValueTable Run(Script script, SymbolTable symbols, IReadOnlyDictionary<string, string>? parameters, List<Diagnostic> diagnostics)
    {
        var values = new ValueTable();
        var overrides = new Dictionary<string, string>(parameters ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var declared = script.Statements.OfType<ParamStatement>().Select(p => p.Name.Text).ToList();
        foreach (var name in overrides.Keys.Where(k => !declared.Contains(k)).Order(StringComparer.Ordinal))
            diagnostics.Add(Diagnostic.Error(CommandLine, DiagnosticCodes.UnknownParameter,
                $"--param {name}: the script has no parameter '{name}'"
                + (Suggestions.Closest(name, declared) is { } s ? $" (did you mean '{s}'?)" : declared.Count == 0 ? " (it declares none)" : $"; it has {string.Join(", ", declared)}")));

        var context = new Context(values, diagnostics) { Symbols = symbols, Overrides = overrides };
        foreach (var statement in script.Statements) StatementRulesCatalog.For(statement).CheckValues(statement, context);
        return values;
    }

    /// <summary>The VOResource waveband vocabulary (as RegTAP stores it, lower case).</summary>
    public static readonly string[] Wavebands = ["radio", "millimeter", "infrared", "optical", "uv", "euv", "x-ray", "gamma-ray"];

    /// <summary>The span of values given on the command line.</summary>
    public static readonly SourceSpan CommandLine = new("command line", 0, 0, 0, 0);

    /// <summary><c>10:00:28.6</c> (hours for a right ascension) or <c>+02:12:21</c> / <c>-02:12:21</c> (degrees).</summary>
    private static readonly System.Text.RegularExpressions.Regex ColonAngle =
        new(@"^\s*([+-]?)(\d{1,3}):(\d{1,2}):(\d{1,2}(?:\.\d+)?)\s*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>Whether a parameter name says right ascension (ra, ra0, ra_deg, raj2000, alpha, target_ra, …).</summary>
    private static bool IsRightAscension(string name) =>
        System.Text.RegularExpressions.Regex.IsMatch(name, @"(^|_)(ra|alpha)(\d*|_?deg|j2000|_icrs)?($|_)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    /// <summary>
    /// A colon-separated angle given with --param: unsigned for a right ascension is hours
    /// (<c>10:00:28.6</c> = 150.119 deg), else degrees; null when the text is not one; an error text when it is out of range.
    /// </summary>
    private static (NumberValue? Value, string? Problem) ParseColonAngle(string name, string text)
    {
        var m = ColonAngle.Match(text);
        if (!m.Success) return (null, null);
        var whole = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        var min = double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        var sec = double.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
        if (min >= 60 || sec >= 60) return (null, "minutes and seconds must be below 60");
        var hours = m.Groups[1].Value.Length == 0 && IsRightAscension(name);
        if (hours && whole >= 24) return (null, "hours of a right ascension must be below 24");
        var deg = (whole + min / 60 + sec / 3600) * (hours ? 15 : 1) * (m.Groups[1].Value == "-" ? -1 : 1);
        return (new NumberValue(deg, Quantity.Angle) { Written = text.Trim() }, null);
    }

    internal static PlanValue? Override(ParamStatement p, PlanValue declared, string text, List<Diagnostic> diagnostics)
    {
        if (declared is NumberValue { Quantity: Quantity.Angle or Quantity.Number })
        {
            var (colon, colonProblem) = ParseColonAngle(p.Name.Text, text);
            if (colonProblem is not null)
            {
                diagnostics.Add(Diagnostic.Error(CommandLine, DiagnosticCodes.BadParameterValue, $"--param {p.Name.Text}={text}: {colonProblem}"));
                return null;
            }
            if (colon is not null) return declared is NumberValue { Quantity: Quantity.Number } ? new NumberValue(colon.Value) : colon;
        }
        var expr = ScriptParser.ParseExpression(text);
        PlanValue given;
        if (expr is null || SyntaxWalk.Names(expr).Any())
            given = new StringValue(text);
        else
        {
            var scratch = new List<Diagnostic>();
            var v = new Context(new ValueTable(), scratch).Eval(expr);
            if (v is null)
            {
                diagnostics.Add(Diagnostic.Error(CommandLine, DiagnosticCodes.BadParameterValue,
                    $"--param {p.Name.Text}={text}: {scratch.FirstOrDefault()?.Message ?? "not a value"}"));
                return null;
            }
            given = v;
        }
        // a sexagesimal angle for a parameter that is a plain number of degrees
        if (declared is NumberValue { Quantity: Quantity.Number } && given is NumberValue { Quantity: Quantity.Angle, Written: not null } sexa)
            given = new NumberValue(sexa.Value);
        var problem = (declared, given) switch
        {
            (NumberValue d, NumberValue g) when d.Quantity == g.Quantity => null,
            (NumberValue { Quantity: Quantity.Angle }, NumberValue { Quantity: Quantity.Number }) =>
                $"parameter '{p.Name.Text}' is an angle: give a unit, e.g. --param {p.Name.Text}={text}arcmin",
            (NumberValue { Quantity: Quantity.Duration }, NumberValue { Quantity: Quantity.Number }) =>
                $"parameter '{p.Name.Text}' is a duration: give a unit, e.g. --param {p.Name.Text}={text}s",
            (NumberValue { Quantity: Quantity.Number }, NumberValue) =>
                $"parameter '{p.Name.Text}' is a plain number: leave out the unit",
            (NumberValue d, NumberValue g) => $"parameter '{p.Name.Text}' is {Describe(d)}, and '{text}' is {Describe(g)}",
            (NumberValue, _) => $"parameter '{p.Name.Text}' is a number, and '{text}' is not one",
            (StringValue, StringValue) => null,
            (StringValue, _) => null,
            (ListValue, ListValue) => null,
            (ListValue, _) => $"parameter '{p.Name.Text}' is a list: write it as [a, b, …]",
            _ => null,
        };
        if (problem is not null)
        {
            diagnostics.Add(Diagnostic.Error(CommandLine, DiagnosticCodes.BadParameterValue, $"--param {p.Name.Text}={text}: {problem}"));
            return null;
        }
        return declared is StringValue && given is not StringValue ? new StringValue(text) : given;
    }

    /// <summary>An angle or a duration in the unit that reads best (<c>10 arcsec</c>, not <c>0.0027… deg</c>).</summary>
    public static string Human(NumberValue n)
    {
        string F(double x) => x.ToString("G12", CultureInfo.InvariantCulture);
        var a = Math.Abs(n.Value);
        return n.Quantity switch
        {
            Quantity.Angle => PlanValue.FormatAngle(n.Value),
            Quantity.Duration when a >= 3600 && a % 3600 == 0 => F(n.Value / 3600) + " h",
            Quantity.Duration when a >= 60 && a % 60 == 0 => F(n.Value / 60) + " min",
            Quantity.Duration => F(n.Value) + " s",
            _ => F(n.Value),
        };
    }

    /// <summary>A value in words, for messages.</summary>
    public static string Describe(PlanValue v) => v switch
    {
        NumberValue { Quantity: Quantity.Angle } n => $"an angle ({Human(n)})",
        NumberValue { Quantity: Quantity.Duration } n => $"a duration ({Human(n)})",
        NumberValue n => $"a number ({n.ToDisplay()})",
        StringValue s => $"a string ({s.ToCanonical()})",
        ListValue => "a list",
        AdqlValue => "an ADQL value",
        _ => "a value",
    };

    /// <summary>What a statement's value checks work with: evaluation with units, and the checks of counts, angles, durations, strings and file names.</summary>
    public sealed class Context(ValueTable values, List<Diagnostic> diagnostics)
    {
        /// <summary>The values found so far.</summary>
        public ValueTable Values => values;
        /// <summary>The problems found so far.</summary>
        public List<Diagnostic> Diagnostics => diagnostics;
        /// <summary>The names the script defines.</summary>
        public SymbolTable Symbols { get; init; } = new();

        /// <summary>Param values given on the command line, by name.</summary>
        public IReadOnlyDictionary<string, string> Overrides { get; init; } = new Dictionary<string, string>();

        /// <summary>Reports an error at <paramref name="e"/>.</summary>
        public void Error(Expression e, string code, string message) => diagnostics.Add(Diagnostic.Error(e.Span, code, message));

        /// <summary>Reports an error at <paramref name="span"/>.</summary>
        public void Error(SourceSpan span, string code, string message) => diagnostics.Add(Diagnostic.Error(span, code, message));

        /// <summary>The value of <paramref name="e"/>, or null after reporting why there is none.</summary>
        public PlanValue? Eval(Expression e)
        {
            var v = Compute(e);
            // a literal beyond double's range (1e400, a thousand digits) or arithmetic that overflows: no value to plan with
            if (v is NumberValue { Value: var x } && !double.IsFinite(x))
            {
                Error(e, DiagnosticCodes.BadNumber, "this number is too large (beyond ±1.8e308) or not a number; write a smaller one");
                return null;
            }
            if (v is not null) values.OfExpression[e] = v;
            return v;
        }

        private PlanValue? Compute(Expression e)
        {
            switch (e)
            {
                case NumberLiteral n when n.Unit is null:
                    return new NumberValue(n.Value);
                case NumberLiteral n:
                    var (q, f) = UnitFactors[n.Unit!];
                    return new NumberValue(n.Value * f, q) { Written = n.Written };
                case StringLiteral s:
                    return new StringValue(s.Value);
                case ListLiteral l:
                    var items = l.Items.Select(Eval).ToList();
                    return items.Any(i => i is null) ? null : new ListValue(items!);
                case AdqlExpression a:
                    // an adql value: its holes are resolved (and checked) here, where it is written
                    Holes(a.Block);
                    return SyntaxWalk.Holes(a.Block).All(values.OfExpression.ContainsKey)
                        ? new AdqlValue(PlanPass.Interpolate(a.Block, values))
                        : null;
                case NameReference r:
                    // unknown names and tables used as values are reported by the name pass
                    return values.ByName.TryGetValue(r.Name.Text, out var v) ? v : null;
                case NegateExpression ng:
                    var operand = Eval(ng.Operand);
                    if (operand is NumberValue nv) return nv with { Value = -nv.Value, Written = nv.Written is { } w ? "-" + w.TrimStart('+') : null };
                    if (operand is not null) Error(e, DiagnosticCodes.TypeMismatch, $"cannot negate {Describe(operand)}");
                    return null;
                case BinaryExpression b:
                    var left = Eval(b.Left);
                    var right = Eval(b.Right);
                    return left is null || right is null ? null : Binary(b, left, right);
                default:
                    return null;
            }
        }

        private PlanValue? Binary(BinaryExpression b, PlanValue left, PlanValue right)
        {
            if (left is StringValue ls && right is StringValue rs && b.Operator == '+') return new StringValue(ls.Value + rs.Value);
            if (left is not NumberValue l || right is not NumberValue r)
            {
                Error(b, DiagnosticCodes.TypeMismatch, $"cannot use '{b.Operator}' on {Describe(left)} and {Describe(right)}");
                return null;
            }
            switch (b.Operator)
            {
                case '+' or '-':
                    if (l.Quantity != r.Quantity)
                    {
                        Error(b, DiagnosticCodes.UnitMismatch,
                            $"cannot {(b.Operator == '+' ? "add" : "subtract")} {Describe(l)} and {Describe(r)}"
                            + (l.Quantity == Quantity.Number || r.Quantity == Quantity.Number ? "; give the plain number a unit" : ""));
                        return null;
                    }
                    return new NumberValue(b.Operator == '+' ? l.Value + r.Value : l.Value - r.Value, l.Quantity);
                case '*':
                    if (l.Quantity != Quantity.Number && r.Quantity != Quantity.Number)
                    {
                        Error(b, DiagnosticCodes.UnitMismatch, $"cannot multiply {Describe(l)} by {Describe(r)}; one side must be a plain number");
                        return null;
                    }
                    return new NumberValue(l.Value * r.Value, l.Quantity == Quantity.Number ? r.Quantity : l.Quantity);
                default:
                    if (r.Value == 0)
                    {
                        Error(b, DiagnosticCodes.BadNumber, "division by zero");
                        return null;
                    }
                    if (r.Quantity == Quantity.Number) return new NumberValue(l.Value / r.Value, l.Quantity);
                    if (l.Quantity == r.Quantity) return new NumberValue(l.Value / r.Value);
                    Error(b, DiagnosticCodes.UnitMismatch, $"cannot divide {Describe(l)} by {Describe(r)}");
                    return null;
            }
        }

        /// <summary>Checks that <paramref name="e"/> is a whole count (zero allowed if <paramref name="allowZero"/>).</summary>
        public void Count(Expression? e, string what, bool allowZero)
        {
            if (e is null || Eval(e) is not { } v) return;
            if (v is not NumberValue n) Error(e, DiagnosticCodes.TypeMismatch, $"{what} must be a whole number, found {Describe(v)}");
            else if (n.Quantity != Quantity.Number) Error(e, DiagnosticCodes.UnitMismatch, $"{what} is a count of rows and takes no unit, found {Describe(v)}");
            else if (n.Value != Math.Floor(n.Value) || n.Value < (allowZero ? 0 : 1) || n.Value > long.MaxValue)
                Error(e, DiagnosticCodes.BadNumber, $"{what} must be a whole number of at least {(allowZero ? 0 : 1)}, found {n.ToDisplay()}");
        }

        /// <summary>Checks the <c>${…}</c> holes of an ADQL block.</summary>
        public void Holes(AdqlBlock block)
        {
            foreach (var h in block.Parts.OfType<AdqlHole>())
            {
                var v = Eval(h.Value);
                if (v is ListValue && h.InString)
                    Error(h.Value, DiagnosticCodes.TypeMismatch, "a list cannot go inside an ADQL string; put ${…} outside the quotes, e.g. IN (${list})");
                if (v is AdqlValue && h.InString)
                    Error(h.Value, DiagnosticCodes.TypeMismatch, "an adql value cannot go inside an ADQL string; put ${…} outside the quotes");
            }
        }

        /// <summary>Checks that <paramref name="e"/> is a duration.</summary>
        public void Duration(Expression? e, string what)
        {
            if (e is null || Eval(e) is not { } v) return;
            if (v is not NumberValue { Quantity: Quantity.Duration } d)
                Error(e, DiagnosticCodes.ExpectedDuration, $"{what} must be a duration (ms, s, min or h), found {Describe(v)}");
            else if (d.Value <= 0) Error(e, DiagnosticCodes.BadNumber, $"{what} must be longer than zero");
        }

        /// <summary>Checks that <paramref name="e"/> is an angle.</summary>
        public void Angle(Expression e, string what)
        {
            if (Eval(e) is not { } v) return;
            if (v is not NumberValue { Quantity: Quantity.Angle } a)
                Error(e, DiagnosticCodes.ExpectedAngle, $"{what} must be an angle (deg, arcmin, arcsec or mas), found {Describe(v)}");
            else if (a.Value <= 0 || a.Value > 180) Error(e, DiagnosticCodes.BadNumber, $"{what} must be above 0 and at most 180 deg, found {a.ToDisplay()}");
        }

        /// <summary>RA or Dec: an angle, or a plain number taken as degrees.</summary>
        public void Position(Expression e, string what)
        {
            if (Eval(e) is not { } v) return;
            if (v is not NumberValue { Quantity: Quantity.Angle or Quantity.Number } n)
            {
                Error(e, DiagnosticCodes.ExpectedAngle, $"{what} must be an angle or a number of degrees, found {Describe(v)}");
                return;
            }
            var (min, max) = what == "Dec" ? (-90.0, 90.0) : (0.0, 360.0);
            if (n.Value < min || n.Value > max)
                Error(e, DiagnosticCodes.BadNumber, $"{what} must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)} deg, found {n.ToDisplay()}");
        }

        /// <summary>Checks that <paramref name="e"/> is a string.</summary>
        public void String(Expression? e, string what)
        {
            if (e is null || Eval(e) is not { } v) return;
            if (v is not StringValue) Error(e, DiagnosticCodes.TypeMismatch, $"{what} must be a string, found {Describe(v)}");
        }

        /// <summary>Checks a plot's file name (a known image extension).</summary>
        public void PlotFileName(Expression e)
        {
            if (Eval(e) is not { } v) return;
            if (v is not StringValue s) Error(e, DiagnosticCodes.TypeMismatch, $"a file name must be a string, found {Describe(v)}");
            else if (!s.Value.EndsWith(".png", StringComparison.OrdinalIgnoreCase) && !s.Value.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
                Error(e, DiagnosticCodes.BadFileName, $"cannot plot to '{s.Value}': plots are written as .png or .svg");
        }

        /// <summary>The VOTable serialization of <c>save … as</c>: one of the three, and the file a VOTable.</summary>
        public void Serialization(Identifier ser, Expression file)
        {
            string[] names = ["tabledata", "binary", "binary2"];
            if (!names.Contains(ser.Text, StringComparer.OrdinalIgnoreCase))
            {
                var hint = Suggestions.Closest(ser.Text, names) is { } s ? $" (did you mean '{s}'?)" : "";
                diagnostics.Add(Diagnostic.Error(ser.Span, DiagnosticCodes.BadFileName,
                    $"unknown VOTable serialization '{ser.Text}'{hint}; write tabledata, binary or binary2"));
            }
            else if (Eval(file) is StringValue f && TableFiles.FormatOf(f.Value) is { } fmt && fmt != VoScript.Engine.Formats.TableFormat.VOTable)
                diagnostics.Add(Diagnostic.Error(ser.Span, DiagnosticCodes.BadFileName,
                    $"'as {ser.Text}' is a VOTable serialization, but '{f.Value}' is not a VOTable file; name it .vot or leave out 'as {ser.Text}'"));
        }

        /// <summary>Checks a table file name (a known extension, VOS0208).</summary>
        public void FileName(Expression e)
        {
            if (Eval(e) is not { } v) return;
            if (v is not StringValue s) Error(e, DiagnosticCodes.TypeMismatch, $"a file name must be a string, found {Describe(v)}");
            else if (TableFiles.FormatOf(s.Value) is null)
                Error(e, DiagnosticCodes.BadFileName, $"cannot tell the format of '{s.Value}': use {TableFiles.KnownExtensions}");
        }
    }
}
