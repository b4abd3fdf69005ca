using System.Globalization;
using VoScript.Engine;
using VoScript.Engine.Science.Selection;

namespace VoScript.Cli.Commands;

/// <summary>
/// <c>select T interactively</c> when stdin is not a terminal (a pipe, a file): each object's
/// summary (id, position, bands, a one-line SED) and the question go to <c>prompt</c> (stderr),
/// and one answer per line comes from <c>input</c>: <c>y</c> keeps the object, <c>n</c> skips it,
/// <c>q</c> stops and keeps what was kept; the end of the input acts as <c>q</c>. Any other line
/// is asked again, at most three times in a row; then the step fails with a clear error.
/// </summary>
internal sealed class PipeSelect(TextReader input, TextWriter prompt)
{
    /// <summary>How many lines in a row that are not an answer end the selection with an error.</summary>
    public const int MaxTries = 3;

    private int _line;

    public Choice Ask(ObjectView view)
    {
        prompt.WriteLine();
        prompt.Write(ObjectDrawing.Summary(view));
        for (var attempt = 1; ; attempt++)
        {
            prompt.Write($"keep object {view.ObjectId}? [y]es / [n]o / [q]uit: ");
            prompt.Flush();
            var line = input.ReadLine();
            if (line is null)
            {
                prompt.WriteLine("(end of input: quit, keeping the objects kept so far)");
                return Choice.Quit;
            }
            _line++;
            var answer = line.Trim().ToLowerInvariant();
            prompt.WriteLine(answer); // the input of a pipe is not echoed: show what was read
            switch (answer)
            {
                case "y" or "yes": return Choice.Keep;
                case "n" or "no": return Choice.Skip;
                case "q" or "quit": return Choice.Quit;
            }
            var shown = line.Length > 40 ? line[..40] + "…" : line;
            if (attempt == MaxTries)
                throw new VoScriptException(
                    $"select … interactively: line {_line.ToString(CultureInfo.InvariantCulture)} of the input ('{shown}') is not an answer "
                    + $"({MaxTries.ToString(CultureInfo.InvariantCulture)} in a row for object {view.ObjectId}); "
                    + "give one answer per line: y keeps the object, n skips it, q stops (keeping what was kept)");
            prompt.WriteLine($"'{shown}' is not an answer: y keeps object {view.ObjectId}, n skips it, q stops (keeping what was kept)");
        }
    }
}
