using VoScript.Engine.Formats.Streams;

namespace VoScript.Engine.Formats;

/// <summary>
/// Recognises files that are not tables by their first bytes (magic numbers), so that
/// reading one says "not a table: looks like a PNG image" instead of parsing it as CSV.
/// </summary>
internal static class ContentSniffer
{
    private static readonly (byte[] Magic, int At, string What)[] Signatures =
    [
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], 0, "a PNG image"),
        ([0xFF, 0xD8, 0xFF], 0, "a JPEG image"),
        ("GIF87a"u8.ToArray(), 0, "a GIF image"),
        ("GIF89a"u8.ToArray(), 0, "a GIF image"),
        ("II*\0"u8.ToArray(), 0, "a TIFF image"),
        ("MM\0*"u8.ToArray(), 0, "a TIFF image"),
        ("WEBP"u8.ToArray(), 8, "a WebP image"),
        ("%PDF-"u8.ToArray(), 0, "a PDF document"),
        ("%!PS"u8.ToArray(), 0, "a PostScript document"),
        ("PK\x03\x04"u8.ToArray(), 0, "a ZIP archive (or an Office document)"),
        ("PK\x05\x06"u8.ToArray(), 0, "an empty ZIP archive"),
        ("1AY&SY"u8.ToArray(), 4, "bzip2-compressed data (decompress it first)"),
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], 0, "xz-compressed data (decompress it first)"),
        ([0x28, 0xB5, 0x2F, 0xFD], 0, "zstd-compressed data (decompress it first)"),
        ([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], 0, "a 7-Zip archive"),
        ("Rar!"u8.ToArray(), 0, "a RAR archive"),
        ("ustar"u8.ToArray(), 257, "a tar archive"),
        ([0x7F, 0x45, 0x4C, 0x46], 0, "an executable (ELF)"),
        ([0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A], 0, "an HDF5 file"),
        ("CDF\x01"u8.ToArray(), 0, "a netCDF file"),
        ("CDF\x02"u8.ToArray(), 0, "a netCDF file"),
        ("PAR1"u8.ToArray(), 0, "a Parquet file"),
        ("ARROW1"u8.ToArray(), 0, "an Arrow file"),
        ("SQLite format 3\0"u8.ToArray(), 0, "an SQLite database"),
        ([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59], 0, "a NumPy array (.npy)"),
        ("OggS"u8.ToArray(), 0, "an Ogg audio/video file"),
        ("{\\rtf"u8.ToArray(), 0, "an RTF document"),
    ];

    /// <summary>What the bytes look like when they are certainly not a table; null when they may be one.</summary>
    public static string? NotATable(ReadOnlySpan<byte> head)
    {
        foreach (var (magic, at, what) in Signatures)
            if (magic.Length > 0 && head.Length >= at + magic.Length && head.Slice(at, magic.Length).SequenceEqual(magic)) return what;
        if (head.StartsWith("RIFF"u8)) return "a RIFF media file (WAV/AVI/WebP)";
        if (head.Length >= 2 && head[0] == 'B' && head[1] == 'M' && head.Length >= 14 && head[6] == 0 && head[7] == 0 && head[8] == 0 && head[9] == 0)
            return "a BMP image";
        var t = SkipBlanks(head);
        if (t.StartsWith("<!DOCTYPE html"u8) || t.StartsWith("<!doctype html"u8) || t.StartsWith("<html"u8) || t.StartsWith("<HTML"u8))
            return "an HTML page (perhaps an error page or a login page instead of the file)";
        if (t.StartsWith("<svg"u8)) return "an SVG image";
        if (t.Length > 0 && t[0] == '<') return null;
        return LooksBinary(head) ? "binary data (not text, and not a FITS or VOTable file)" : null;
    }

    private static ReadOnlySpan<byte> SkipBlanks(ReadOnlySpan<byte> s)
    {
        if (s.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) s = s[3..];
        var i = 0;
        while (i < s.Length && s[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        return s[i..];
    }

    /// <summary>
    /// True when the bytes cannot be text: a NUL, other control characters, or invalid UTF-8
    /// (a sequence cut at the end of the sample is allowed). UTF-16 with a byte order mark passes.
    /// </summary>
    internal static bool LooksBinary(ReadOnlySpan<byte> s)
    {
        if (s.Length == 0 || s.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || s.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return false;
        var controls = 0;
        for (var i = 0; i < s.Length;)
        {
            var b = s[i];
            if (b == 0) return true;
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C or 0x1B)) controls++;
            if (b < 0x80) { i++; continue; }
            var len = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
            if (len == 0) return true;
            for (var k = 1; k < len; k++)
            {
                if (i + k >= s.Length) return controls > 2;
                if ((s[i + k] & 0xC0) != 0x80) return true;
            }
            i += len;
        }
        return controls > 2;
    }
}
