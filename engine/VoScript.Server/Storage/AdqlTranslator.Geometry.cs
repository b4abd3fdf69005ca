using System.Globalization;
using System.Text;
using VoScript.Engine.Model;
using VoScript.Adql;

namespace VoScript.Server.Storage;

/// <summary>
/// Spherical geometry. Positions are ICRS (ra, dec) in degrees on the unit sphere;
/// distances are great-circle distances (haversine); polygon edges are great-circle
/// arcs. Every predicate carries an index-friendly prefilter (a dec band, and for
/// constant shapes an ra window) in front of the exact test.
/// </summary>
internal sealed partial class AdqlTranslator
{
    private abstract record Geom(Pos Pos);
    private sealed record GPoint(Pos Pos, string Ra, string Dec, double? CRa, double? CDec) : Geom(Pos);
    private sealed record GCircle(Pos Pos, GPoint Center, string R, double? CR) : Geom(Pos);
    /// <summary>A polygon with constant vertices (BOX becomes one too).</summary>
    private sealed record GPolygon(Pos Pos, IReadOnlyList<(double Ra, double Dec)> Vertices) : Geom(Pos);
    /// <summary>A column holding a region per row (STC-S or DALI text), evaluated by the store's region functions.</summary>
    private sealed record GRegion(Pos Pos, string Sql, string Name) : Geom(Pos);

    /// <summary>Whether a column holds regions: xtype adql:REGION/polygon/circle/point or UCD pos.outline, kept as text.</summary>
    internal static bool IsRegionColumn(Field? f, StorageKind kind)
    {
        if (f is null) return false;
        var text = f.IsString || kind == StorageKind.Text;
        var xtype = f.XType?.ToLowerInvariant();
        return text && (xtype is "adql:region" or "polygon" or "circle" or "point" or "region"
            || (f.Ucd?.StartsWith("pos.outline", StringComparison.OrdinalIgnoreCase) ?? false));
    }

    private static bool IsPredicateCall(Expr e) => e is Call c && c.Upper is "CONTAINS" or "INTERSECTS";

    private static bool IsGeometryCall(Expr e) => e is Call c && c.Upper is "POINT" or "CIRCLE" or "BOX" or "POLYGON";

    private static double? TryConst(Expr e) => e switch
    {
        NumberLit n => double.Parse(n.Text, NumberStyles.Float, CultureInfo.InvariantCulture),
        Unary { Op: "-" } u => -TryConst(u.Operand),
        Binary { Op: "+" } b => TryConst(b.Left) + TryConst(b.Right),
        Binary { Op: "-" } b => TryConst(b.Left) - TryConst(b.Right),
        Binary { Op: "*" } b => TryConst(b.Left) * TryConst(b.Right),
        Binary { Op: "/" } b => TryConst(b.Left) / TryConst(b.Right),
        Call { Upper: "PI", Args.Count: 0 } => Math.PI,
        _ => null,
    };

    private IReadOnlyList<Expr> GeometryArgs(Call c)
    {
        if (c.Args.Count > 0 && c.Args[0] is StringLit cs)
        {
            var sys = cs.Value.Trim();
            if (sys.Length > 0 && !sys.StartsWith("ICRS", StringComparison.OrdinalIgnoreCase))
                throw Err(cs.Pos, $"coordinate system '{cs.Value}' is not supported: this service has ICRS positions only (write 'ICRS' or leave the coordinate system out)");
            return c.Args.Skip(1).ToList();
        }
        return c.Args;
    }

    private string Num(Expr e, Scope scope, out double? constant)
    {
        constant = TryConst(e);
        if (e is StringLit s) throw Err(s.Pos, $"expected a number but found the string '{s.Value}'");
        return constant is { } d ? Lit(d) : Numeric(e, scope);
    }

    private Geom Geometry(Expr e, Scope scope)
    {
        if (e is not Call c || !IsGeometryCall(e))
        {
            if (e is ColumnRef col)
            {
                var v = Value(col, scope);
                if (IsRegionColumn(v.Field, v.Kind)) return new GRegion(col.Pos, v.Sql, col.Column.Name);
                throw Err(e.Pos, $"column {col.Column} is used as a geometry but holds no regions (a geometry column has xtype adql:REGION, polygon, circle or point): write POINT(ra, dec) with the position columns");
            }
            throw Err(e.Pos, "expected a geometry (POINT, CIRCLE, BOX or POLYGON)");
        }
        var args = GeometryArgs(c);
        switch (c.Upper)
        {
            case "POINT":
                if (args.Count != 2) throw Err(c.Pos, $"POINT takes two coordinates (ra, dec), not {args.Count}");
                return Point(c.Pos, args[0], args[1], scope);
            case "CIRCLE":
            {
                GPoint center;
                Expr rExpr;
                if (args.Count == 2 && IsGeometryCall(args[0])) { center = Geometry(args[0], scope) as GPoint ?? throw Err(args[0].Pos, "the centre of CIRCLE must be a POINT"); rExpr = args[1]; }
                else if (args.Count == 3) { center = Point(c.Pos, args[0], args[1], scope); rExpr = args[2]; }
                else throw Err(c.Pos, $"CIRCLE takes a centre and a radius (ra, dec, radius), not {args.Count} arguments");
                var r = Num(rExpr, scope, out var cr);
                if (cr is < 0) throw Err(rExpr.Pos, "the radius of CIRCLE is negative");
                return new GCircle(c.Pos, center, r, cr);
            }
            case "BOX":
            {
                double? ra, dec, w, h;
                if (args.Count == 3 && IsGeometryCall(args[0]))
                {
                    var p = Geometry(args[0], scope) as GPoint ?? throw Err(args[0].Pos, "the centre of BOX must be a POINT");
                    (ra, dec, w, h) = (p.CRa, p.CDec, TryConst(args[1]), TryConst(args[2]));
                }
                else if (args.Count == 4) (ra, dec, w, h) = (TryConst(args[0]), TryConst(args[1]), TryConst(args[2]), TryConst(args[3]));
                else throw Err(c.Pos, $"BOX takes a centre, a width and a height (ra, dec, width, height), not {args.Count} arguments");
                if (ra is null || dec is null || w is null || h is null)
                    throw Err(c.Pos, "BOX with column values is not supported: its centre and sizes must be numbers (use CIRCLE for positions from columns)");
                double hw = w.Value / 2, hh = h.Value / 2;
                return new GPolygon(c.Pos, [(ra.Value - hw, dec.Value - hh), (ra.Value + hw, dec.Value - hh), (ra.Value + hw, dec.Value + hh), (ra.Value - hw, dec.Value + hh)]);
            }
            case "POLYGON":
            {
                var vertices = new List<(double, double)>();
                if (args.Count > 0 && IsGeometryCall(args[0]))
                {
                    foreach (var a in args)
                    {
                        var p = Geometry(a, scope) as GPoint ?? throw Err(a.Pos, "the vertices of POLYGON must be POINTs");
                        if (p.CRa is null || p.CDec is null) throw Err(a.Pos, "POLYGON with column values is not supported: its vertices must be numbers");
                        vertices.Add((p.CRa.Value, p.CDec.Value));
                    }
                }
                else
                {
                    if (args.Count % 2 != 0) throw Err(c.Pos, $"POLYGON takes pairs of coordinates (ra1, dec1, ra2, dec2, …); it has {args.Count} numbers");
                    for (var i = 0; i < args.Count; i += 2)
                    {
                        var (ra, dec) = (TryConst(args[i]), TryConst(args[i + 1]));
                        if (ra is null || dec is null) throw Err(args[ra is null ? i : i + 1].Pos, "POLYGON with column values is not supported: its vertices must be numbers");
                        vertices.Add((ra.Value, dec.Value));
                    }
                }
                if (vertices.Count < 3) throw Err(c.Pos, $"POLYGON needs at least three vertices, it has {vertices.Count}");
                return new GPolygon(c.Pos, vertices);
            }
        }
        throw Err(e.Pos, "expected a geometry");
    }

    private GPoint Point(Pos pos, Expr ra, Expr dec, Scope scope)
    {
        var raSql = Num(ra, scope, out var cra);
        var decSql = Num(dec, scope, out var cdec);
        if (cdec is < -90 or > 90) throw Err(dec.Pos, $"declination {cdec} is outside [-90, 90]");
        return new GPoint(pos, raSql, decSql, cra, cdec);
    }

    // ------------------------------------------------------------ SQL building blocks

    /// <summary>Great-circle distance in degrees (haversine, clamped against rounding).</summary>
    private static string Haversine(GPoint a, GPoint b) =>
        $"(2 * degrees(asin(least(1.0, sqrt(pow(sin(radians({b.Dec} - {a.Dec}) / 2), 2) + cos(radians({a.Dec})) * cos(radians({b.Dec})) * pow(sin(radians({b.Ra} - {a.Ra}) / 2), 2))))))";

    /// <summary>A cone prefilter: cheap conditions every point within <paramref name="r"/> degrees of the centre satisfies.</summary>
    private static string ConePrefilter(GPoint p, GPoint centre, string r, double? cr)
    {
        if (centre.CRa is { } ra0 && centre.CDec is { } dec0 && cr is { } rad)
        {
            var sb = new StringBuilder();
            double lo = dec0 - rad, hi = dec0 + rad;
            sb.Append($"{p.Dec} BETWEEN {Lit(lo)} AND {Lit(hi)}");
            if (lo > -90 && hi < 90 && rad < 90)
            {
                // the largest ra offset of a point of the cap: asin(sin r / cos dec0)
                var s = Math.Sin(rad * Math.PI / 180) / Math.Cos(dec0 * Math.PI / 180);
                if (s < 1)
                {
                    var alpha = Math.Asin(s) * 180 / Math.PI * (1 + 1e-9) + 1e-9;
                    sb.Append($" AND abs(((({p.Ra}) - {Lit(ra0)}) % 360 + 540) % 360 - 180) <= {Lit(alpha)}");
                }
            }
            return sb.ToString();
        }
        return $"{p.Dec} BETWEEN ({centre.Dec}) - ({r}) AND ({centre.Dec}) + ({r})";
    }

    private static string ContainsPointCircle(GPoint p, GCircle c) =>
        $"({ConePrefilter(p, c.Center, c.R, c.CR)} AND {Haversine(p, c.Center)} <= {c.R})";

    private static (double X, double Y, double Z) Unit(double ra, double dec)
    {
        double a = ra * Math.PI / 180, d = dec * Math.PI / 180;
        return (Math.Cos(d) * Math.Cos(a), Math.Cos(d) * Math.Sin(a), Math.Sin(d));
    }

    private static (double, double, double) Normalize((double X, double Y, double Z) v)
    {
        var n = Math.Sqrt(v.X * v.X + v.Y * v.Y + v.Z * v.Z);
        return (v.X / n, v.Y / n, v.Z / n);
    }

    private static (double, double, double) Cross((double X, double Y, double Z) a, (double X, double Y, double Z) b) =>
        (a.Y * b.Z - a.Z * b.Y, a.Z * b.X - a.X * b.Z, a.X * b.Y - a.Y * b.X);

    private static double Dot((double X, double Y, double Z) a, (double X, double Y, double Z) b) => a.X * b.X + a.Y * b.Y + a.Z * b.Z;

    /// <summary>
    /// Point in a spherical polygon with great-circle edges: the gnomonic projection
    /// about the polygon's centre maps great circles to straight lines, so the planar
    /// crossing-number test on the projected vertices is exact for points of that
    /// hemisphere (points outside it are outside the polygon).
    /// </summary>
    private static string ContainsPointPolygon(GPoint p, GPolygon poly)
    {
        var vs = poly.Vertices.Select(v => Unit(v.Ra, v.Dec)).ToList();
        var c = Normalize((vs.Sum(v => v.X), vs.Sum(v => v.Y), vs.Sum(v => v.Z)));
        var maxAngle = vs.Max(v => Math.Acos(Math.Clamp(Dot(v, c), -1, 1))) * 180 / Math.PI;
        if (maxAngle >= 89.9)
            throw Err(poly.Pos, "POLYGON spans a hemisphere or more: this service supports polygons smaller than a hemisphere");
        // tangent basis at c
        var up = Math.Abs(c.Item3) < 0.9 ? (0.0, 0.0, 1.0) : (1.0, 0.0, 0.0);
        var e1 = Normalize(Cross(up, c));
        var e2 = Cross(c, e1);
        var proj = vs.Select(v => (X: Dot(v, e1) / Dot(v, c), Y: Dot(v, e2) / Dot(v, c))).ToList();

        string Lin((double X, double Y, double Z) k, string px, string py, string pz) =>
            $"({Lit(k.X)} * {px} + {Lit(k.Y)} * {py} + {Lit(k.Z)} * {pz})";
        var px = $"(cos(radians({p.Dec})) * cos(radians({p.Ra})))";
        var py = $"(cos(radians({p.Dec})) * sin(radians({p.Ra})))";
        var pz = $"sin(radians({p.Dec}))";
        var u = Lin(e1, px, py, pz);
        var v2 = Lin(e2, px, py, pz);
        var w = Lin(c, px, py, pz);
        var crossings = new List<string>();
        for (var i = 0; i < proj.Count; i++)
        {
            var a = proj[i];
            var b = proj[(i + 1) % proj.Count];
            if (a.Y == b.Y) continue;
            var k = (b.X - a.X) / (b.Y - a.Y);
            // (v > Ya w) <> (v > Yb w)  and  u < (Xa - k Ya) w + k v   (all scaled by w > 0)
            crossings.Add($"(CASE WHEN (({v2} > {Lit(a.Y)} * {w}) <> ({v2} > {Lit(b.Y)} * {w})) AND {u} < {Lit(a.X - k * a.Y)} * {w} + {Lit(k)} * {v2} THEN 1 ELSE 0 END)");
        }
        var (cra, cdec) = (Math.Atan2(c.Item2, c.Item1) * 180 / Math.PI, Math.Asin(Math.Clamp(c.Item3, -1, 1)) * 180 / Math.PI);
        if (cra < 0) cra += 360;
        var centre = new GPoint(poly.Pos, Lit(cra), Lit(cdec), cra, cdec);
        var capR = maxAngle + 1e-9;
        return $"({ConePrefilter(p, centre, Lit(capR), capR)} AND {w} > 0 AND ({string.Join(" + ", crossings)}) % 2 = 1)";
    }

    // ------------------------------------------------------------ ADQL functions

    private string GeometryPredicate(Call call, Scope scope)
    {
        if (call.Args.Count != 2) throw Err(call.Pos, $"{call.Upper} takes two geometries, not {call.Args.Count} arguments");
        var a = Geometry(call.Args[0], scope);
        var b = Geometry(call.Args[1], scope);
        if (call.Upper == "INTERSECTS")
        {
            // a point intersects a region exactly when the region contains it
            if (a is GPoint && b is not GPoint) return Contains(a, b, call);
            if (b is GPoint && a is not GPoint) return Contains(b, a, call);
            if (a is GCircle ca && b is GCircle cb)
                return $"({Haversine(ca.Center, cb.Center)} <= ({ca.R}) + ({cb.R}))";
            if ((a as GRegion ?? b as GRegion) is { } reg && (a as GCircle ?? b as GCircle) is { } rc)
                return $"voscript_region_intersects_circle({reg.Sql}, {rc.Center.Ra}, {rc.Center.Dec}, {rc.R})";
            if ((a as GPolygon ?? b as GPolygon) is { } poly && (a as GCircle ?? b as GCircle) is { } pc)
            {
                // the polygon as an STC-S literal for the store's region function (checked here, so errors have a position)
                var stcs = "Polygon ICRS " + string.Join(" ", poly.Vertices.SelectMany(v => new[] { v.Ra, v.Dec }).Select(d => d.ToString("R", CultureInfo.InvariantCulture)));
                try { Regions.Parse(stcs); }
                catch (FormatException) { throw Err(poly.Pos, "POLYGON spans a hemisphere or more: this service supports polygons smaller than a hemisphere"); }
                return $"voscript_region_intersects_circle('{stcs}', {pc.Center.Ra}, {pc.Center.Dec}, {pc.R})";
            }
            throw Err(call.Pos, $"INTERSECTS of {Kind(a)} and {Kind(b)} is not supported: this service evaluates INTERSECTS for a point and a region, for two circles, and for a circle and a polygon or region column");
        }
        return Contains(a, b, call);
    }

    private static string Kind(Geom g) => g switch { GPoint => "POINT", GCircle => "CIRCLE", GRegion r => "the region column " + r.Name, _ => "POLYGON" };

    private static string Contains(Geom a, Geom b, Call call) => (a, b) switch
    {
        (GPoint p, GCircle c) => ContainsPointCircle(p, c),
        (GPoint p, GPolygon poly) => ContainsPointPolygon(p, poly),
        (GCircle inner, GCircle outer) => $"({Haversine(inner.Center, outer.Center)} + ({inner.R}) <= ({outer.R}))",
        (GPoint p, GRegion g) => $"voscript_region_contains({g.Sql}, {p.Ra}, {p.Dec})",
        (GRegion g, GCircle c) => $"voscript_region_inside_circle({g.Sql}, {c.Center.Ra}, {c.Center.Dec}, {c.R})",
        _ => throw Err(call.Pos, $"CONTAINS({Kind(a)}, {Kind(b)}) is not supported: this service evaluates CONTAINS of a POINT in a CIRCLE, BOX or POLYGON, and of a CIRCLE in a CIRCLE"),
    };

    private string Distance(Call call, Scope scope)
    {
        GPoint a, b;
        if (call.Args.Count == 2)
        {
            a = Geometry(call.Args[0], scope) as GPoint ?? throw Err(call.Args[0].Pos, "DISTANCE takes two POINTs");
            b = Geometry(call.Args[1], scope) as GPoint ?? throw Err(call.Args[1].Pos, "DISTANCE takes two POINTs");
        }
        else if (call.Args.Count == 4)
        {
            a = Point(call.Pos, call.Args[0], call.Args[1], scope);
            b = Point(call.Pos, call.Args[2], call.Args[3], scope);
        }
        else throw Err(call.Pos, $"DISTANCE takes two POINTs (or four numbers ra1, dec1, ra2, dec2), not {call.Args.Count} arguments");
        return Haversine(a, b);
    }

    /// <summary>A geometry in the SELECT list: a DALI array (point: ra dec; circle: ra dec r; polygon: ra1 dec1 …).</summary>
    private SqlValue GeometryValue(Call call, Scope scope)
    {
        var g = Geometry(call, scope);
        return g switch
        {
            GPoint p => new SqlValue($"[{p.Ra}, {p.Dec}]", XType: "point"),
            GCircle c => new SqlValue($"[{c.Center.Ra}, {c.Center.Dec}, {c.R}]", XType: "circle"),
            GPolygon poly => new SqlValue("[" + string.Join(", ", poly.Vertices.SelectMany(v => new[] { Lit(v.Ra), Lit(v.Dec) })) + "]", XType: "polygon"),
            _ => throw Err(call.Pos, "unsupported geometry"),
        };
    }
}

internal sealed partial class AdqlTranslator
{
    /// <summary>Upload joins at or below this radius (degrees) are run as zone joins.</summary>
    internal const double MaxZoneRadius = 1.0;

    /// <summary>
    /// Zone join: for <c>CONTAINS(POINT(x.ra, x.dec), CIRCLE(y.ra, y.dec, r)) = 1</c> with a
    /// constant r, x and y two tables of this FROM, the smaller table is replaced by itself
    /// with one row per declination zone (height h ≥ 2r) its circle touches, and the
    /// condition gains <c>floor(other.dec / h) = zone</c>. The database then runs a hash
    /// join instead of comparing every pair. Each pair that satisfies CONTAINS meets in
    /// exactly one zone (the other side's own), so no row is counted twice. Returns the
    /// extra condition, or null when the conjunct is not of that form.
    /// </summary>
    private string? TryZoneJoin(Expr conjunct, Scope scope)
    {
        if (conjunct is not Binary eq) return null;
        GPoint p, q;
        IEnumerable<ColumnRef> pRefs, qRefs;
        double r;
        if (eq.Op == "=")
        {
            // CONTAINS(POINT, CIRCLE) = 1 (or INTERSECTS either way round)
            var (callExpr, one) = IsPredicateCall(eq.Left) ? (eq.Left, eq.Right) : (eq.Right, eq.Left);
            if (callExpr is not Call { Args.Count: 2 } call || !IsPredicateCall(call) || one is not NumberLit { Text: "1" }) return null;
            Expr pointExpr, circleExpr;
            if (IsCall(call.Args[0], "POINT") && IsCall(call.Args[1], "CIRCLE")) (pointExpr, circleExpr) = (call.Args[0], call.Args[1]);
            else if (call.Upper == "INTERSECTS" && IsCall(call.Args[1], "POINT") && IsCall(call.Args[0], "CIRCLE")) (pointExpr, circleExpr) = (call.Args[1], call.Args[0]);
            else return null;
            if (Geometry(pointExpr, scope) is not GPoint gp || Geometry(circleExpr, scope) is not GCircle c || c.CR is not { } cr) return null;
            var circleArgs = GeometryArgs((Call)circleExpr);
            (p, q, r) = (gp, c.Center, cr);
            pRefs = ColumnRefs(pointExpr);
            qRefs = circleArgs.Count == 2 ? ColumnRefs(circleArgs[0]) : circleArgs.Take(2).SelectMany(ColumnRefs);
        }
        else if (DistanceBound(eq, scope) is { } d)
        {
            (p, q, r, pRefs, qRefs) = (d.A, d.B, d.R, d.ARefs, d.BRefs);
        }
        else return null;
        if (r <= 0 || r > MaxZoneRadius) return null;
        var pointRel = SingleRelation(pRefs, scope);
        var circleRel = SingleRelation(qRefs, scope);
        if (pointRel is null || circleRel is null || ReferenceEquals(pointRel, circleRel)) return null;
        if (pointRel.BaseFragment is null || circleRel.BaseFragment is null) return null;
        if (scope.ZoneWraps.ContainsKey(pointRel) || scope.ZoneWraps.ContainsKey(circleRel)) return null;
        var h = Math.Max(2 * r, 1.0 / 3600);
        var (wrap, wrapDec, otherDec) = circleRel.Rows <= pointRel.Rows ? (circleRel, q.Dec, p.Dec) : (pointRel, p.Dec, q.Dec);
        var a = wrap.SqlAlias;
        scope.ZoneWraps[wrap] =
            $"(SELECT {a}.*, unnest(range(CAST(floor(({wrapDec} - {Lit(r)}) / {Lit(h)}) AS BIGINT), CAST(floor(({wrapDec} + {Lit(r)}) / {Lit(h)}) AS BIGINT) + 1)) AS zone_ " +
            $"FROM {wrap.BaseFragment}) AS {a}";
        return $"CAST(floor(({otherDec}) / {Lit(h)}) AS BIGINT) = {a}.zone_";
    }

    private sealed record DistanceTest(GPoint A, GPoint B, double R, string Op, IEnumerable<ColumnRef> ARefs, IEnumerable<ColumnRef> BRefs);

    /// <summary><c>DISTANCE(a, b) &lt; r</c>, <c>&lt;=</c>, or <c>r &gt; DISTANCE(a, b)</c>, <c>&gt;=</c>, with r a number.</summary>
    private DistanceTest? DistanceBound(Binary b, Scope scope)
    {
        Expr dist, bound;
        string op;
        if (b.Op is "<" or "<=" && IsCall(b.Left, "DISTANCE")) (dist, bound, op) = (b.Left, b.Right, b.Op);
        else if (b.Op is ">" or ">=" && IsCall(b.Right, "DISTANCE")) (dist, bound, op) = (b.Right, b.Left, b.Op == ">" ? "<" : "<=");
        else return null;
        if (TryConst(bound) is not { } r) return null;
        var call = (Call)dist;
        if (call.Args.Count == 2)
        {
            if (Geometry(call.Args[0], scope) is not GPoint a || Geometry(call.Args[1], scope) is not GPoint c) return null;
            return new DistanceTest(a, c, r, op, ColumnRefs(call.Args[0]), ColumnRefs(call.Args[1]));
        }
        if (call.Args.Count == 4)
            return new DistanceTest(Point(call.Pos, call.Args[0], call.Args[1], scope), Point(call.Pos, call.Args[2], call.Args[3], scope), r, op,
                call.Args.Take(2).SelectMany(ColumnRefs), call.Args.Skip(2).SelectMany(ColumnRefs));
        return null;
    }

    /// <summary><c>DISTANCE(a, b) &lt; r</c> with its cone prefilter (about whichever point is constant, else a declination band).</summary>
    private string? DistancePredicate(Binary b, Scope scope)
    {
        if (DistanceBound(b, scope) is not { } d) return null;
        var (p, centre) = d.A.CRa is not null && d.A.CDec is not null ? (d.B, d.A) : (d.A, d.B);
        return $"({ConePrefilter(p, centre, Lit(d.R), d.R)} AND {Haversine(d.A, d.B)} {d.Op} {Lit(d.R)})";
    }

    private static bool IsCall(Expr e, string name) => e is Call c && c.Upper == name;

    private static IEnumerable<ColumnRef> ColumnRefs(Expr e) => e switch
    {
        ColumnRef c => [c],
        Call c => c.Args.SelectMany(ColumnRefs),
        Unary u => ColumnRefs(u.Operand),
        Binary b => ColumnRefs(b.Left).Concat(ColumnRefs(b.Right)),
        CastExpr c => ColumnRefs(c.Value),
        NumberLit or StringLit or NullLit or BoolLit => [],
        _ => [new ColumnRef(e.Pos, [])],   // anything else (subqueries, CASE): not zoneable
    };

    /// <summary>The one relation of this scope (not an outer one) all <paramref name="refs"/> resolve to, if any.</summary>
    private static Relation? SingleRelation(IEnumerable<ColumnRef> refs, Scope scope)
    {
        Relation? rel = null;
        foreach (var r in refs)
        {
            if (r.Parts.Count == 0) return null;
            if (!TryResolveColumn(r, scope, out var found) || !scope.Relations.Contains(found.Rel)) return null;
            if (rel is not null && !ReferenceEquals(rel, found.Rel)) return null;
            rel = found.Rel;
        }
        return rel;
    }
}
