using System.Diagnostics.Metrics;
using VoScript.Engine;

namespace VoScript.Hosting.Tests;

public class ParseOnceTests
{
    [Test, NonParallelizable]
    public async Task AScriptParsedOnceRunsWithDifferentParametersWithoutBeingParsedAgain()
    {
        long parses = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ParsedScript.MeterName && instrument.Name == ParsedScript.ParseCounterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref parses, value));
        listener.Start();

        var host = new VoScriptHost().Register(new LineCatalog());
        var script = host.Parse("param count = 2\nparam spacing = 1 arcsec\nrun linecat ra = 10 deg, dec = 20 deg, n = count, step = spacing as line\n", "many.vos");
        Assert.That(Interlocked.Read(ref parses), Is.EqualTo(1));
        Assert.That(script.Parameters, Is.EqualTo(new[] { "count", "spacing" }));

        var rows = new List<int>();
        var last = new List<double>();
        foreach (var count in new[] { "3", "5", "8" })
        {
            var compiled = host.Compile(script, new Dictionary<string, string> { ["count"] = count, ["spacing"] = count + " arcsec" });
            Assert.That(compiled.HasErrors, Is.False, compiled.FormatDiagnostics());
            var result = await host.RunAsync(compiled.Plan!);
            Assert.That(result.Succeeded, Is.True, result.FirstError);
            var line = result.Workspace.GetTable("line");
            rows.Add(line.RowCount);
            last.Add(((VoScript.Engine.Model.ScalarColumn<double>)line.Columns[0]).Values[^1]);
        }

        Assert.That(Interlocked.Read(ref parses), Is.EqualTo(1), "compiling and running again must not parse the text again");
        Assert.That(rows, Is.EqualTo(new[] { 3, 5, 8 }));
        // the last position is ra + (n - 1) * spacing: both parameters reached the step
        Assert.That(last, Is.EqualTo(new[] { 10 + 2 * 3 / 3600.0, 10 + 4 * 5 / 3600.0, 10 + 7 * 8 / 3600.0 }).Within(1e-9));
    }

    [Test]
    public void AWrongParameterIsADiagnosticOfThatCompileOnly()
    {
        var host = new VoScriptHost();
        var script = host.Parse("param radius = 6 arcmin\n");
        var bad = host.Compile(script, new Dictionary<string, string> { ["radius"] = "\"wide\"" });
        Assert.That(bad.HasErrors, Is.True);
        Assert.That(bad.Diagnostics.First().Code, Is.EqualTo("VOS0205"));
        var unknown = host.Compile(script, new Dictionary<string, string> { ["radios"] = "1 deg" });
        Assert.That(unknown.Diagnostics.First().Message, Does.Contain("did you mean 'radius'"));
        Assert.That(host.Compile(script, new Dictionary<string, string> { ["radius"] = "1 deg" }).HasErrors, Is.False);
    }
}
