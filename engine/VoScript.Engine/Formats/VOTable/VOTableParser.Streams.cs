using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using VoScript.Engine.Formats;
using VoScript.Engine.Formats.Streams;
using VoScript.Engine.Model;
using Group = VoScript.Engine.Model.Group;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>VOTableParser: binary rows, inline or from a STREAM href (local files under the base folder only).</summary>
internal sealed partial class VOTableParser
{
    private (int Line, int Column) _streamAt;

    /// <summary>
    /// Decodes the binary rows of <paramref name="s"/>: by columns (<see cref="ColumnarBinaryDecoder"/>) when every
    /// column allows it, else (and whenever that decoder finds a problem in the stream) row by row.
    /// </summary>
    private long DecodeBinary(Stream s, ColumnBuilder[] cols, bool binary2, string? href = null)
    {
        if (!ColumnarBinaryDecoder.Supports(cols, _o.MaxCellLength)) return DecodeRows(s, cols, binary2, href);
        var budget = Math.Max(0, _o.Limits.MaxDecodedBytes - _docBytes.Count);
        var limited = new ByteLimitStream(s, budget, "the decoded binary data (ReaderLimits.MaxDecodedBytes)", _ct);
        _inData = true;
        try
        {
            return ColumnarBinaryDecoder.Decode(limited, cols, binary2, _o.MaxCellLength, _o.Limits.MaxRows,
                rest => DecodeRows(rest, cols, binary2, href), _ct);
        }
        catch (CellFormatException e)
        {
            var (l, col) = _streamAt;
            var where = href is not null ? $"line {l}, column {col}, STREAM href '{href}'" : $"line {l}, column {col}, STREAM";
            throw new VOTableFormatException($"{where}: {e.Message}", l, col, null, null, e);
        }
        finally { _inData = false; }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private long DecodeRows(Stream s, ColumnBuilder[] cols, bool binary2, string? href = null)
    {
        var budget = Math.Max(0, _o.Limits.MaxDecodedBytes - _docBytes.Count);
        var r = new BinaryRowReader(new ByteLimitStream(s, budget, "the decoded binary data (ReaderLimits.MaxDecodedBytes)", _ct), _o.MaxCellLength);
        var flagBytes = binary2 ? (cols.Length + 7) / 8 : 0;
        Span<byte> flags = stackalloc byte[Math.Min(flagBytes, 512)];
        var flagArr = flagBytes > 512 ? new byte[flagBytes] : null;
        long row = 0;
        var c = -1;
        _inData = true;
        try
        {
            while (!r.AtEnd())
            {
                c = -1;
                if (row >= _o.Limits.MaxRows)
                    throw new CellFormatException($"the table has more rows than the limit of {_o.Limits.MaxRows} (ReaderLimits.MaxRows)");
                var before = r.Taken;
                if (binary2)
                {
                    var fb = r.Take(flagBytes);
                    if (flagArr is not null) fb.CopyTo(flagArr); else fb.CopyTo(flags);
                }
                for (c = 0; c < cols.Length; c++)
                {
                    var isNull = false;
                    if (binary2)
                    {
                        var b = flagArr is not null ? flagArr[c >> 3] : flags[c >> 3];
                        isNull = (b & (0x80 >> (c & 7))) != 0;
                    }
                    cols[c].AddBinary(r, isNull, binary2);
                }
                if (r.Taken == before)
                    throw new CellFormatException("a row of the binary stream takes no bytes (every field has arraysize 0), so the stream cannot be cut into rows");
                row++;
                if ((row & 0xFFFF) == 0) _ct.ThrowIfCancellationRequested();
            }
        }
        catch (Exception e) when (e is CellFormatException or FormatException or InvalidDataException or CryptographicException or IOException)
        {
            var field = c >= 0 && c < cols.Length ? cols[c].Field.Name : null;
            var what = e is CellFormatException ? e.Message
                : e is FormatException or CryptographicException ? "invalid base64 data: " + e.Message
                : "cannot decode the stream: " + e.Message;
            var (l, col) = _streamAt;
            var where = href is not null ? $"line {l}, column {col}, STREAM href '{href}'" : $"line {l}, column {col}, STREAM";
            var cell = field is not null ? $" (row {row + 1}, field '{field}')" : $" (row {row + 1})";
            throw new VOTableFormatException($"{where}{cell}: {what}", l, col, row + 1, field, e);
        }
        finally { _inData = false; }
        return row;
    }

    /// <summary>
    /// Opens a STREAM href. http(s) only with <see cref="VOTableReadOptions.Http"/>; local files only when the document
    /// was read from a file (<see cref="VOTableReadOptions.BaseDirectory"/>) and only in its folder or below, checked on
    /// the real path (symbolic links resolved) before the file is touched. Refusals say nothing of the file itself.
    /// </summary>
    private Stream OpenHref(string href)
    {
        if (href.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || href.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (_o.Http is null)
                throw Error($"STREAM href '{href}' refused: this document may not make the reader fetch other URLs (only inline STREAM data is read here)");
            try
            {
                var resp = _o.Http.Send(new HttpRequestMessage(HttpMethod.Get, href), HttpCompletionOption.ResponseHeadersRead, _ct);
                if (!resp.IsSuccessStatusCode)
                    throw Error($"STREAM href '{href}' answered HTTP {(int)resp.StatusCode} {resp.ReasonPhrase}");
                return resp.Content.ReadAsStream(_ct);
            }
            catch (HttpRequestException e)
            {
                throw Error($"cannot open STREAM href '{href}': {e.Message}");
            }
        }
        if (_o.BaseDirectory is null || !_o.Limits.FollowFileHrefs)
            throw Error($"STREAM href '{href}' refused: a document that did not come from a local file may not refer to local files; send the data inline (TABLEDATA, BINARY or BINARY2)");
        string path;
        try
        {
            if (href.StartsWith("file://", StringComparison.OrdinalIgnoreCase)) path = new Uri(href).LocalPath;
            else if (href.StartsWith("file:", StringComparison.OrdinalIgnoreCase)) path = Uri.UnescapeDataString(href[5..]);
            else if (href.Contains("://", StringComparison.Ordinal)) throw Error($"STREAM href '{href}': only file:, http: and https: are supported");
            else path = Uri.UnescapeDataString(href);
        }
        catch (UriFormatException)
        {
            throw Error($"STREAM href '{href}' is not a valid URI");
        }
        var root = Path.GetFullPath(_o.BaseDirectory);
        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(root, path));
        if (!IsBelow(full, root) || !IsBelow(RealPath(full), RealPath(root)))
            throw Error($"STREAM href '{href}' refused: a VOTable file may only refer to files in its own folder or below it ({root})");
        try
        {
            return new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Error($"cannot open STREAM href '{href}': {e.Message}");
        }
    }

    private static bool IsBelow(string path, string root)
    {
        var r = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return path.StartsWith(r, StringComparison.Ordinal);
    }

    /// <summary>The path with every symbolic link along it resolved (as far as the parts exist).</summary>
    private static string RealPath(string full)
    {
        try
        {
            var parts = full.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            var cur = Path.GetPathRoot(full) ?? "/";
            foreach (var p in parts)
            {
                var next = Path.Combine(cur, p);
                FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
                if (info.Exists && info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                    next = Path.GetFullPath(target.FullName);
                cur = next;
            }
            return cur;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return full;
        }
    }
}
