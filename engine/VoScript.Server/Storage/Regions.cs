using System.Collections.Concurrent;
using System.Globalization;

namespace VoScript.Server.Storage;

/// <summary>
/// Regions held in table columns (ObsCore's s_region and the like): STC-S strings
/// (<c>Polygon ICRS 10 20 11 20 11 21</c>, <c>Circle ICRS 10 20 0.5</c>, <c>Position ICRS 10 20</c>,
/// <c>Box ICRS 10 20 1 1</c>) or DALI arrays kept as text (2 numbers: point, 3: circle, 6 or
/// more: polygon). The store evaluates CONTAINS/INTERSECTS on them row by row through
/// database functions backed by these methods; polygon edges are great-circle arcs.
/// </summary>
internal static class Regions
{
    internal abstract record Region;
    internal sealed record PointRegion(double Ra, double Dec) : Region;
    internal sealed record CircleRegion(double Ra, double Dec, double R) : Region;
    internal sealed record PolygonRegion(Vec[] Vertices, Vec Centre, Vec E1, Vec E2, (double X, double Y)[] Projected) : Region;

    internal readonly record struct Vec(double X, double Y, double Z)
    {
        public static Vec Of(double ra, double dec)
        {
            double a = ra * Math.PI / 180, d = dec * Math.PI / 180;
            return new Vec(Math.Cos(d) * Math.Cos(a), Math.Cos(d) * Math.Sin(a), Math.Sin(d));
        }

        public double Dot(Vec o) => X * o.X + Y * o.Y + Z * o.Z;
        public Vec Cross(Vec o) => new(Y * o.Z - Z * o.Y, Z * o.X - X * o.Z, X * o.Y - Y * o.X);
        public double Norm => Math.Sqrt(Dot(this));
        public Vec Unit() { var n = Norm; return new Vec(X / n, Y / n, Z / n); }
        public Vec Scale(double s) => new(X * s, Y * s, Z * s);
        public Vec Minus(Vec o) => new(X - o.X, Y - o.Y, Z - o.Z);
    }

    private static readonly ConcurrentDictionary<string, Region> Cache = new();

    /// <summary>The region a cell describes (cached: the same strings come back for every query).</summary>
    public static Region Parse(string text)
    {
        if (Cache.TryGetValue(text, out var r)) return r;
        r = ParseUncached(text);
        if (Cache.Count > 200_000) Cache.Clear();
        Cache[text] = r;
        return r;
    }

    private static Region ParseUncached(string text)
    {
        var tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0) throw new FormatException("an empty region");
        string? shape = null;
        var i = 0;
        if (!IsNumber(tokens[0]))
        {
            shape = tokens[0].ToUpperInvariant();
            i = 1;
            // frame, reference position, flavour: words before the numbers
            while (i < tokens.Length && !IsNumber(tokens[i]))
            {
                var w = tokens[i].ToUpperInvariant();
                if (w is not ("ICRS" or "UNKNOWNFRAME" or "GEOCENTER" or "BARYCENTER" or "TOPOCENTER" or "UNKNOWNREFPOS" or "SPHERICAL2" or "J2000" or "FK5"))
                    throw new FormatException($"region '{Short(text)}': only ICRS regions are supported (found {tokens[i]})");
                i++;
            }
        }
        var n = new List<double>();
        for (; i < tokens.Length; i++)
        {
            if (!double.TryParse(tokens[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                throw new FormatException($"region '{Short(text)}': '{tokens[i]}' is not a number (one simple shape per cell is supported)");
            n.Add(d);
        }
        shape ??= n.Count switch { 2 => "POSITION", 3 => "CIRCLE", _ => "POLYGON" };
        switch (shape)
        {
            case "POSITION" or "POINT" when n.Count == 2:
                return new PointRegion(n[0], n[1]);
            case "CIRCLE" when n.Count == 3:
                return new CircleRegion(n[0], n[1], n[2]);
            case "BOX" when n.Count == 4:
            {
                double hw = n[2] / 2, hh = n[3] / 2;
                return Polygon([(n[0] - hw, n[1] - hh), (n[0] + hw, n[1] - hh), (n[0] + hw, n[1] + hh), (n[0] - hw, n[1] + hh)], text);
            }
            case "POLYGON" when n.Count >= 6 && n.Count % 2 == 0:
                return Polygon(Enumerable.Range(0, n.Count / 2).Select(k => (n[2 * k], n[2 * k + 1])).ToList(), text);
        }
        throw new FormatException($"region '{Short(text)}' is not a point, circle, box or polygon");
    }

    private static bool IsNumber(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string Short(string s) => s.Length <= 60 ? s : s[..60] + "…";

    private static PolygonRegion Polygon(IReadOnlyList<(double Ra, double Dec)> vertices, string text)
    {
        var vs = vertices.Select(v => Vec.Of(v.Ra, v.Dec)).ToArray();
        var c = new Vec(vs.Sum(v => v.X), vs.Sum(v => v.Y), vs.Sum(v => v.Z)).Unit();
        if (vs.Any(v => v.Dot(c) <= 1e-3))
            throw new FormatException($"region '{Short(text)}' spans a hemisphere or more");
        var up = Math.Abs(c.Z) < 0.9 ? new Vec(0, 0, 1) : new Vec(1, 0, 0);
        var e1 = up.Cross(c).Unit();
        var e2 = c.Cross(e1);
        var proj = vs.Select(v => (v.Dot(e1) / v.Dot(c), v.Dot(e2) / v.Dot(c))).ToArray();
        return new PolygonRegion(vs, c, e1, e2, proj);
    }

    private static double Angle(Vec a, Vec b) => Math.Atan2(a.Cross(b).Norm, a.Dot(b)) * 180 / Math.PI;

    /// <summary>Whether the region contains the point (ra, dec).</summary>
    public static bool Contains(Region region, double ra, double dec)
    {
        var p = Vec.Of(ra, dec);
        switch (region)
        {
            case PointRegion pt:
                return Angle(p, Vec.Of(pt.Ra, pt.Dec)) == 0;
            case CircleRegion c:
                return Angle(p, Vec.Of(c.Ra, c.Dec)) <= c.R;
            case PolygonRegion poly:
            {
                // gnomonic projection about the centre: great circles become lines
                var w = p.Dot(poly.Centre);
                if (w <= 0) return false;
                double x = p.Dot(poly.E1) / w, y = p.Dot(poly.E2) / w;
                var inside = false;
                var q = poly.Projected;
                for (int i = 0, j = q.Length - 1; i < q.Length; j = i++)
                    if ((q[i].Y > y) != (q[j].Y > y) && x < (q[j].X - q[i].X) * (y - q[i].Y) / (q[j].Y - q[i].Y) + q[i].X)
                        inside = !inside;
                return inside;
            }
        }
        return false;
    }

    /// <summary>Whether the region and the circle (ra, dec, r) have a point in common.</summary>
    public static bool IntersectsCircle(Region region, double ra, double dec, double r)
    {
        var p = Vec.Of(ra, dec);
        switch (region)
        {
            case PointRegion pt:
                return Angle(p, Vec.Of(pt.Ra, pt.Dec)) <= r;
            case CircleRegion c:
                return Angle(p, Vec.Of(c.Ra, c.Dec)) <= r + c.R;
            case PolygonRegion poly:
                if (Contains(poly, ra, dec)) return true;
                for (var i = 0; i < poly.Vertices.Length; i++)
                    if (ArcDistance(p, poly.Vertices[i], poly.Vertices[(i + 1) % poly.Vertices.Length]) <= r) return true;
                return false;
        }
        return false;
    }

    /// <summary>Whether the region lies inside the circle (ra, dec, r).</summary>
    public static bool InsideCircle(Region region, double ra, double dec, double r)
    {
        var p = Vec.Of(ra, dec);
        return region switch
        {
            PointRegion pt => Angle(p, Vec.Of(pt.Ra, pt.Dec)) <= r,
            CircleRegion c => Angle(p, Vec.Of(c.Ra, c.Dec)) + c.R <= r,
            // a cap smaller than a hemisphere holds every great-circle arc between two of its points
            PolygonRegion poly => r < 90 && poly.Vertices.All(v => Angle(p, v) <= r),
            _ => false,
        };
    }

    /// <summary>Angular distance (degrees) from p to the great-circle arc a–b.</summary>
    private static double ArcDistance(Vec p, Vec a, Vec b)
    {
        var n = a.Cross(b);
        if (n.Norm < 1e-15) return Angle(p, a);
        n = n.Unit();
        var q = p.Minus(n.Scale(p.Dot(n)));
        if (q.Norm > 1e-15)
        {
            q = q.Unit();
            if (a.Cross(q).Dot(n) >= 0 && q.Cross(b).Dot(n) >= 0)
                return Math.Asin(Math.Min(1, Math.Abs(p.Dot(n)))) * 180 / Math.PI;
        }
        return Math.Min(Angle(p, a), Angle(p, b));
    }
}
