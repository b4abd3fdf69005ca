using VoScript.Engine.Model;

namespace VoScript.Server.Tap;

/// <summary>
/// Prepares an ObsCore table for <c>ivoa.obscore</c>: names missing ObsCore 1.1 mandatory columns,
/// and rewrites relative access_url paths to the service's <c>/files/</c> URLs.
/// </summary>
internal static class ObsCoreTable
{
    /// <summary>The mandatory columns of ObsCore 1.1 (Appendix C).</summary>
    public static readonly IReadOnlyList<string> MandatoryColumns =
    [
        "dataproduct_type", "calib_level", "obs_collection", "obs_id", "obs_publisher_did",
        "access_url", "access_format", "access_estsize", "target_name",
        "s_ra", "s_dec", "s_fov", "s_region", "s_resolution", "s_xel1", "s_xel2",
        "t_xel", "t_min", "t_max", "t_exptime", "t_resolution",
        "em_xel", "em_min", "em_max", "em_res_power",
        "o_ucd", "pol_states", "pol_xel", "facility_name", "instrument_name",
    ];

    public static IReadOnlyList<string> MissingColumns(Table t) =>
        MandatoryColumns.Where(c => t.FindColumn(c) is null).ToList();

    /// <summary>
    /// Replaces access_url values that are relative paths by <c>FILESURL/path</c> when the file exists under
    /// <paramref name="folder"/>. Returns warnings for values that point to no file or outside the folder.
    /// </summary>
    public static IReadOnlyList<string> RewriteAccessUrls(Table t, string folder, string filesUrl)
    {
        var warnings = new List<string>();
        var i = t.IndexOf("access_url");
        if (i < 0 || t.Columns[i] is not StringColumn col) return warnings;
        var values = new string?[col.Count];
        var missing = new List<string>();
        for (var r = 0; r < col.Count; r++)
        {
            var v = col[r];
            values[r] = v;
            if (v is null || v.Length == 0 || IsAbsoluteUrl(v)) continue;
            var rel = v.Replace('\\', '/');
            while (rel.StartsWith("./", StringComparison.Ordinal)) rel = rel[2..];
            if (ServedFiles.Resolve(folder, rel) is null)
            {
                missing.Add(v);
                continue;
            }
            values[r] = filesUrl.TrimEnd('/') + "/" + string.Join('/', rel.Split('/').Select(Uri.EscapeDataString));
        }
        if (missing.Count > 0)
            warnings.Add($"{missing.Count} access_url value(s) name no file under {folder} and are left as they are (first: {missing[0]})");
        t.ReplaceColumn(i, new StringColumn(col.Field.Clone(), values));
        return warnings;
    }

    private static bool IsAbsoluteUrl(string v) =>
        Uri.TryCreate(v, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" or "ftp" or "file" or "ivo" or "s3";
}
