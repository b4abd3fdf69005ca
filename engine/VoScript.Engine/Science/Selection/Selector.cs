using VoScript.Engine.Model;

namespace VoScript.Engine.Science.Selection;

/// <summary>The table step behind <c>select T where EXPR as NAME</c>.</summary>
internal static class Selector
{
    /// <summary>The rows of <paramref name="table"/> where <paramref name="condition"/> is true (nulls count as not true), metadata kept.</summary>
    public static Table Where(Table table, Expr condition, string? name = null)
    {
        var check = ExpressionChecker.CheckCondition(condition, table.Fields.ToList());
        if (!check.Ok) throw new VoScriptException(string.Join("; ", check.Errors.Select(e => e.Message)));
        var v = ExpressionEvaluator.EvaluateChecked(condition, table, check);
        var keep = new List<int>();
        if (v is BoolVector b)
            for (var i = 0; i < b.Count; i++) if (b.Values[i] == BoolVector.True) keep.Add(i);
        var result = table.SelectRows(keep);
        result.Name = name ?? table.Name;
        result.Warnings.AddRange(table.Warnings);
        return result;
    }
}
