using VoScript.Engine.Science.Plotting;
using VoScript.Engine.Science.Selection;

namespace VoScript.Cli.Commands;

/// <summary>
/// How the CLI shows one object of <c>select T interactively</c> (the engine hands over the data, the host draws):
/// on a screen, its SED drawn with characters under a title line; through a pipe, a few lines of summary.
/// </summary>
internal static class ObjectDrawing
{
    /// <summary>The title, then (for an SED table) the SED in a <paramref name="width"/> × <paramref name="height"/> plot.</summary>
    public static string Screen(ObjectView view, int width = 60, int height = 14) =>
        view.IsSed ? CharacterPlot.Sed(view.Table, view.Rows, width, height, view.Title) : view.Title + Environment.NewLine;

    /// <summary>The title, the mean position and (for an SED table) the bands and a one-line SED.</summary>
    public static string Summary(ObjectView view) =>
        view.Title + Environment.NewLine + ObjectSummary.Of(view.Table, view.Rows, view.IsSed);
}
