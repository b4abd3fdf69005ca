using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;
using VoScript.Engine.Model;

namespace VoScript.Engine.Science.Verbs;

/// <summary>One new column of <c>derive</c>: <c>NAME = EXPR [unit "u"] [ucd "w"]</c>.</summary>
public sealed record Derivation(string Name, Expr Expr, string? Unit = null, string? Ucd = null);

/// <summary>
/// <c>derive T with NAME = EXPR [unit "u"] [ucd "w"], … as NAME</c>: new columns at the end, computed a
/// whole column at a time. Each derivation sees the columns before it (so a later one may use an earlier one).
/// A name the table already has is a name clash. The unit is the one given, else the one the expression
/// has (<c>a - b</c> of two <c>mag</c> columns is <c>mag</c>); a bare column keeps its type and metadata.
/// </summary>
public static class Derive
{
    /// <summary>The columns <c>derive</c> gives, or the problems of its expressions (with their spans).</summary>
    public static VerbSchema Schema(IReadOnlyList<Field> input, IReadOnlyList<Derivation> derivations, bool typed = true)
    {
        var fields = new List<Field>(input);
        var problems = new List<VerbProblem>();
        for (var k = 0; k < derivations.Count; k++)
        {
            var d = derivations[k];
            if (VerbColumns.Find(input, d.Name) >= 0) problems.Add(VerbProblem.TakenName(d.Name, k));
            else if (VerbColumns.Find(fields, d.Name) >= 0) problems.Add(VerbProblem.NamedTwice(d.Name, k, "derived"));
            var check = typed ? ExpressionChecker.Check(d.Expr, fields) : ExpressionChecker.CheckShape(d.Expr, fields, namesComplete: true);
            foreach (var e in check.Errors) problems.Add(VerbProblem.FromExpression(e, fields, k));
            if (check.Ok && d.Unit is not null && UnitTable.Incompatible(check.Unit, d.Unit))
                problems.Add(new VerbProblem(VerbProblemKind.Mismatch,
                    $"'{d.Name}' is computed in {check.Unit}, which cannot be given as {d.Unit}") { Subject = d.Name, Item = k });
            fields.Add(OutputField(d, check, fields));
        }
        return new VerbSchema(fields, problems);
    }

    private static Field OutputField(Derivation d, ExprCheck check, IReadOnlyList<Field> fields)
    {
        if (d.Expr is ColumnRef c && ExpressionChecker.Resolve(fields, c.Name) is { } same)
        {
            var f = VerbColumns.Renamed(same, d.Name);
            f.Ucd = d.Ucd ?? Science.Verbs.VerbColumns.WithoutMain(same.Ucd);
            if (d.Unit is not null) f.Unit = d.Unit;
            return f;
        }
        return VerbColumns.FieldFor(d.Name, check.Type, VerbColumns.IsExactInteger(d.Expr, fields), d.Unit ?? check.Unit, d.Ucd);
    }

    /// <summary>Adds the derived columns to a copy of <paramref name="t"/> (the input's columns are shared, not copied).</summary>
    public static Table Run(Table t, IReadOnlyList<Derivation> derivations, string? name = null)
    {
        var schema = Schema(VerbColumns.FieldsOf(t), derivations).OrThrow("derive");
        var result = VerbColumns.Build(t, name, t.Columns);
        for (var k = 0; k < derivations.Count; k++)
        {
            var d = derivations[k];
            var field = schema.Fields[t.ColumnCount + k];
            if (d.Expr is ColumnRef c && result.FindColumn(c.Name) is { } source)
            {
                result.AddColumn(source.Select(ColumnVerbs.Identity(source.Count), field));
                continue;
            }
            var check = ExpressionChecker.Check(d.Expr, result.Fields.ToList());
            var v = ExpressionEvaluator.EvaluateChecked(d.Expr, result, check);
            if (d.Unit is not null && check.Unit is not null && UnitTable.Factor(check.Unit, d.Unit) is { } f && f != 1 && v is NumberVector nv)
            {
                // "unit" names the unit wanted: convert when the expression's unit is known and of the same kind
                var scaled = new double[nv.Count];
                for (var i = 0; i < scaled.Length; i++) scaled[i] = nv.Values[i] * f;
                v = new NumberVector(scaled);
            }
            result.AddColumn(VerbColumns.FromVector(v, field.Clone()));
        }
        return result;
    }
}
