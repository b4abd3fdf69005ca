using VoScript.Engine.Formats.Streams;

namespace VoScript.Engine.Formats;

/// <summary>
/// Opening input files by path with one wording for every reason they cannot be read:
/// <c>cannot read 'F': no such file</c>, <c>… permission denied</c>, <c>… is a directory</c>.
/// </summary>
public static class InputFile
{
    /// <summary>Why <paramref name="path"/> could not be read, from the exception that said so.</summary>
    public static string Reason(string path, Exception e) =>
        Directory.Exists(path) ? "is a directory"
        : e switch
        {
            FileNotFoundException or DirectoryNotFoundException => "no such file",
            UnauthorizedAccessException => "permission denied",
            PathTooLongException => "the path is too long",
            _ => e.Message,
        };

    /// <summary>The exception commands report as <c>cannot read 'F': REASON</c> (exit code 1).</summary>
    public static VoScriptException CannotRead(string path, Exception e) => new($"cannot read '{path}': {Reason(path, e)}", e);

    /// <summary>True for the exceptions opening or reading a file throws.</summary>
    public static bool IsFileError(Exception e) =>
        e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException;

    /// <summary>Opens <paramref name="path"/> for reading, or throws <see cref="CannotRead"/>'s exception.</summary>
    public static FileStream OpenRead(string path, int bufferSize = 1 << 16)
    {
        if (Directory.Exists(path)) throw new VoScriptException($"cannot read '{path}': is a directory");
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize);
        }
        catch (Exception e) when (IsFileError(e))
        {
            throw CannotRead(path, e);
        }
    }

    /// <summary>The whole text of <paramref name="path"/>, or throws <see cref="CannotRead"/>'s exception.</summary>
    public static string ReadAllText(string path)
    {
        if (Directory.Exists(path)) throw new VoScriptException($"cannot read '{path}': is a directory");
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (IsFileError(e))
        {
            throw CannotRead(path, e);
        }
    }
}
