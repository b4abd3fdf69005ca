using VoScript.Engine.Model;

namespace VoScript.Engine.Protocols.Products;

/// <summary>The columns of a table that say where its data products are and what they are.</summary>
/// <param name="Url">The column of product URLs.</param>
/// <param name="Format">The column of MIME types (ObsCore <c>access_format</c>, SSA <c>Access.Format</c>, …), if any.</param>
/// <param name="Size">The column of announced sizes (ObsCore <c>access_estsize</c>, in kB), if any.</param>
internal sealed record ProductColumns(Column Url, Column? Format, Column? Size)
{
    /// <summary>UCDs of URL columns: VO 1.x UCD1+ and the SIA 1 / SSA 1 words.</summary>
    private static readonly string[] UrlUcds = ["meta.ref.url", "meta.ref.uri", "VOX:Image_AccessReference", "DATA_LINK"];
    private static readonly string[] FormatUcds = ["meta.code.mime", "VOX:Image_Format"];

    /// <summary>
    /// Finds the product columns of <paramref name="t"/>. The URL column is <paramref name="column"/>
    /// when given, else the first of: ObsCore/SIA2 <c>access_url</c>; a column whose utype ends in
    /// <c>Access.Reference</c> (SSA); a column whose UCD is <c>meta.ref.url</c> (or SIA 1's
    /// <c>VOX:Image_AccessReference</c>); a column whose xtype is <c>url</c> or <c>uri</c>.
    /// </summary>
    /// <exception cref="VoScriptException">no such column (the message lists what was looked for and the table's columns).</exception>
    public static ProductColumns Find(Table t, string? column)
    {
        var columns = ScriptNames.List(t.Columns.Select(c => c.Name), NamePlace.ColumnList);
        Column url;
        if (column is not null)
            url = t.FindColumn(column) ?? throw new VoScriptException($"'{t.Name}' has no column {ScriptNames.Mention(column, NamePlace.ColumnList)}{ScriptNames.DidYouMean(column, t.Columns.Select(c => c.Name), NamePlace.ColumnList)}; its columns are: {columns}");
        else
            url = t.FindColumn("access_url")
                ?? ByUtype(t, "Access.Reference")
                ?? ByUcd(t, UrlUcds)
                ?? t.Columns.FirstOrDefault(c => c.Field.XType?.Trim().ToLowerInvariant() is "url" or "uri")
                ?? throw new VoScriptException(
                    $"'{t.Name}' has no column of product URLs (looked for access_url, an Access.Reference utype, the UCD meta.ref.url and the xtype url); "
                    + $"name it with 'column NAME' (its columns are: {columns})");
        if (!url.Field.IsString)
            throw new VoScriptException($"column '{url.Name}' of '{t.Name}' holds {url.Field.DataType.ToString().ToLowerInvariant()} values, not URLs");
        var format = t.FindColumn("access_format") ?? ByUtype(t, "Access.Format") ?? ByUcd(t, FormatUcds);
        var size = t.FindColumn("access_estsize") ?? ByUtype(t, "Access.Size");
        return new ProductColumns(url, format is { Field.IsString: true } ? format : null, size);
    }

    private static Column? ByUtype(Table t, string suffix) =>
        t.Columns.FirstOrDefault(c => c.Field.Utype is { } u && u.Trim().EndsWith(suffix, StringComparison.OrdinalIgnoreCase));

    private static Column? ByUcd(Table t, string[] ucds) =>
        t.Columns.FirstOrDefault(c => c.Field.Ucd is { } u && ucds.Any(x => string.Equals(u.Trim(), x, StringComparison.OrdinalIgnoreCase)));

    /// <summary>True for the MIME type of a DataLink {links} response (<c>…;content=datalink</c>): the URL is a DataLink service.</summary>
    public static bool IsDataLink(string? format) =>
        format is not null && format.Replace(" ", "", StringComparison.Ordinal).Contains("content=datalink", StringComparison.OrdinalIgnoreCase);
}
