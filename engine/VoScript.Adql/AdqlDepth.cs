namespace VoScript.Adql;

/// <summary>
/// Measures the depth of a syntax tree without recursion, so that the translator's recursive walks never meet a
/// tree deeper than <see cref="AdqlParser.MaxDepth"/> (a long chain such as <c>1+1+…+1</c> is as deep as it is long).
/// </summary>
internal static class AdqlDepth
{
    public static void Check(QueryExpr root, int max)
    {
        var stack = new Stack<(object Node, int Depth)>();
        stack.Push((root, 1));
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            if (depth > max)
            {
                var pos = node switch { Expr e => e.Pos, QueryExpr q => q.Pos, TableRef t => t.Pos, _ => root.Pos };
                throw new AdqlException($"the query is nested deeper than {max} levels (a chain of operators counts one level per operator); simplify it or split it ({pos})", pos.Line, pos.Column);
            }
            foreach (var child in Children(node)) stack.Push((child, depth + 1));
        }
    }

    private static IEnumerable<object> Children(object node)
    {
        switch (node)
        {
            case SetQuery s:
                yield return s.Left; yield return s.Right;
                foreach (var o in s.OrderBy) yield return o.Expr;
                break;
            case WithQuery w:
                foreach (var (_, q) in w.Ctes) yield return q;
                yield return w.Body;
                break;
            case SelectQuery q:
                foreach (var i in q.Items) if (i is ExprItem e) yield return e.Expr;
                foreach (var t in q.From) yield return t;
                if (q.Where is not null) yield return q.Where;
                foreach (var g in q.GroupBy) yield return g;
                if (q.Having is not null) yield return q.Having;
                foreach (var o in q.OrderBy) yield return o.Expr;
                break;
            case DerivedTable d: yield return d.Query; break;
            case JoinedTable j:
                yield return j.Left; yield return j.Right;
                if (j.On is not null) yield return j.On;
                break;
            case Unary u: yield return u.Operand; break;
            case Binary b: yield return b.Left; yield return b.Right; break;
            case Not n: yield return n.Operand; break;
            case Between b: yield return b.Value; yield return b.Low; yield return b.High; break;
            case InList l:
                yield return l.Value;
                foreach (var i in l.Items) yield return i;
                break;
            case InQuery iq: yield return iq.Value; yield return iq.Query; break;
            case Like l: yield return l.Value; yield return l.Pattern; break;
            case IsNull n: yield return n.Value; break;
            case Exists e: yield return e.Query; break;
            case ScalarQuery s: yield return s.Query; break;
            case Call c: foreach (var a in c.Args) yield return a; break;
            case CaseExpr c:
                if (c.Operand is not null) yield return c.Operand;
                foreach (var (w, t) in c.Whens) { yield return w; yield return t; }
                if (c.Else is not null) yield return c.Else;
                break;
            case CastExpr c: yield return c.Value; break;
        }
    }
}
