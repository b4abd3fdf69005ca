namespace VoScript.Server.Tap;

/// <summary>
/// The optional ADQL features the store answers, as TAPRegExt declares them in the capabilities
/// (each one is exercised by a query in TapAdqlFeatureTests).
/// </summary>
internal static class AdqlFeatures
{
    public const string TypePrefix = "ivo://ivoa.net/std/TAPRegExt#";

    public static readonly IReadOnlyList<(string Type, IReadOnlyList<string> Forms)> Declared =
    [
        ("features-adqlgeo", ["POINT", "CIRCLE", "BOX", "POLYGON", "CONTAINS", "INTERSECTS", "DISTANCE", "COORD1", "COORD2"]),
        ("features-adql-string", ["LOWER", "ILIKE"]),
        ("features-adql-sets", ["UNION", "EXCEPT", "INTERSECT"]),
        ("features-adql-offset", ["OFFSET"]),
        ("features-adql-type", ["CAST"]),
    ];
}
