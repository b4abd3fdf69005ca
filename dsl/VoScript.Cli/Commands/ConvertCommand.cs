using System.CommandLine;
using VoScript.Engine.Formats;
using VoScript.Engine.Formats.Streams;

namespace VoScript.Cli.Commands;

/// <summary><c>voscript convert IN OUT [--format F]</c>.</summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("IN") { Description = "Table to read: VOTable (any serialization), FITS binary table or CSV, gzip ok; '-' reads stdin." };
        var output = new Argument<string>("OUT") { Description = "File to write; '-' writes stdout." };
        var format = new Option<string?>("--format", "-f")
        {
            Description = "tabledata, binary, binary2, csv or fits. Default: from OUT's extension (.vot/.xml → binary2, .csv → csv, .fits/.fit → fits).",
        };
        format.AcceptOnlyFromAmong([.. TableFormatChoice.Names]);
        var version = new Option<string>("--votable-version")
        {
            Description = "VOTable version to write: 1.4 or 1.5.",
            DefaultValueFactory = _ => "1.4",
        };
        version.AcceptOnlyFromAmong("1.4", "1.5");
        var cmd = new Command("convert", "Convert a table between VOTable serializations, FITS and CSV, keeping its metadata.")
        {
            input, output, format, version,
        };
        cmd.SetAction(parse =>
        {
            var inPath = parse.GetRequiredValue(input);
            var outPath = parse.GetRequiredValue(output);
            var choice = parse.GetValue(format) is { } f ? TableFormatChoice.FromName(f)
                : outPath == "-" ? new TableFormatChoice(TableFormat.VOTable)
                : TableFormatChoice.FromPath(outPath)
                  ?? throw new UsageException($"cannot tell the format of '{outPath}' from its extension: use .vot, .xml, .fits or .csv, or give --format");
            var table = TableFiles.Read(inPath);
            TableFiles.Write(table, outPath, choice, parse.GetValue(version) ?? "1.4");
            WarningPrinter.Print(table, parse.InvocationConfiguration.Error);
            return 0;
        });
        return cmd;
    }
}
