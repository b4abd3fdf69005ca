using VoScript.Hosting;

namespace VoScript.Engine;

/// <summary>
/// The limits every table reader applies (VOTable TABLEDATA, BINARY and BINARY2, CSV, and gzip around any of them),
/// so that a hostile or broken file or service answer ends in a clear error instead of exhausting memory or time.
/// The defaults suit local work on large tables; <c>voscript serve</c> uses <see cref="Network"/> for uploads.
/// Every limit is named in the error message that reports it.
/// </summary>
public sealed record ReaderLimits
{
    /// <summary>The defaults for files a user reads on purpose (<c>load</c>, <c>show</c>, <c>convert</c>) and service answers.</summary>
    public static ReaderLimits Default { get; } = new();

    /// <summary>Tighter limits for documents a server receives from anyone (uploads to <c>voscript serve</c>): depth 32, 256 MB decoded.</summary>
    public static ReaderLimits Network { get; } = new() { MaxDepth = 32, MaxDecodedBytes = 256L << 20, MaxInflatedBytes = 256L << 20 };

    /// <summary>The deepest XML element nesting of a VOTable (default 64).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>The most characters in one TABLEDATA cell or bytes in one BINARY cell, and in one CSV field (default 64 MiB).</summary>
    public int MaxCellLength { get; init; } = 64 * 1024 * 1024;

    /// <summary>The most elements one array cell may declare: the product of an <c>arraysize</c>'s dimensions (default 2^26).</summary>
    public int MaxArrayElements { get; init; } = 1 << 26;

    /// <summary>The most columns (FIELDs, CSV header cells) of one table (default 65536).</summary>
    public int MaxColumns { get; init; } = 1 << 16;

    /// <summary>The most rows of one table (default 2^31 - 1, what a column can hold).</summary>
    public long MaxRows { get; init; } = int.MaxValue;

    /// <summary>
    /// The most bytes a reader takes in: the document's own bytes after decompression plus the bytes decoded
    /// from its base64 or external streams (default 64 GiB).
    /// </summary>
    public long MaxDecodedBytes { get; init; } = 64L << 30;

    /// <summary>The most bytes one gzip stream (a <c>.gz</c> file or an <c>encoding="gzip"</c> STREAM) may inflate to (default 16 GiB).</summary>
    public long MaxInflatedBytes { get; init; } = 16L << 30;

    /// <summary>
    /// The largest ratio of inflated to compressed bytes a gzip stream may reach once it has produced more than
    /// 64 MiB (default 1000; real tables compress 2 to 50 times, zip bombs a million times).
    /// </summary>
    public int MaxInflateRatio { get; init; } = 1000;

    /// <summary>
    /// Whether a VOTable read from a file may follow <c>STREAM href</c> to files beside it or below its folder
    /// (default true). Documents that arrive over the network never follow hrefs to local files, whatever this says.
    /// </summary>
    public bool FollowFileHrefs { get; init; } = true;
}
