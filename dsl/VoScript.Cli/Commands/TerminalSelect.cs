using VoScript.Engine.Science.Selection;

namespace VoScript.Cli.Commands;

/// <summary>
/// The terminal side of <c>select T interactively</c>: draws each object's SED with characters
/// and reads y (keep), n (skip) or q (stop) keys. Available only when stdin and stdout are a terminal.
/// </summary>
internal static class TerminalSelect
{
    public static bool Available => !Console.IsInputRedirected && !Console.IsOutputRedirected;

    public static Choice Ask(ObjectView view)
    {
        var output = Console.Out;
        output.WriteLine();
        output.Write(ObjectDrawing.Screen(view));
        while (true)
        {
            output.Write($"keep object {view.ObjectId}? [y]es / [n]o / [q]uit: ");
            var key = Console.ReadKey(intercept: true);
            output.WriteLine(key.KeyChar);
            switch (char.ToLowerInvariant(key.KeyChar))
            {
                case 'y': return Choice.Keep;
                case 'n': return Choice.Skip;
                case 'q': return Choice.Quit;
            }
        }
    }
}
