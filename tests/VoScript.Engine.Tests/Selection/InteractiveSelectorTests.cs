using NUnit.Framework;
using VoScript.Engine.Model.Ucds;
using VoScript.Engine.Science.Interop;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Photometry;
using VoScript.Engine.Science.Plotting;
using VoScript.Engine.Science.Selection;
using VoScript.Engine.Science.Sky;
using VoScript.Engine.Model;
using VoScript.Engine.Tests.Interop;

namespace VoScript.Engine.Tests.Selection;

public class InteractiveSelectorTests
{
    private static Table Seds()
    {
        Table[] tables = [RigCatalogs.CatA(), RigCatalogs.CatB(), RigCatalogs.CatC()];
        foreach (var t in tables) Repairs.Apply(t);
        return SedBuilder.Build(Clustering.Run(tables, 1.5 / 3600, "objects"), "seds");
    }

    [Test]
    public void KeptObjectsAreTheResultAndQuitStopsAsking()
    {
        var seds = Seds();
        var asked = new List<string>();
        var answers = new Queue<Choice>([Choice.Keep, Choice.Skip, Choice.Quit]);
        var picked = InteractiveSelector.Run(seds, v => { asked.Add(v.ObjectId); return answers.Dequeue(); }, "picked");
        Assert.That(asked, Is.EqualTo(new[] { "1", "2", "3" }));
        Assert.That(picked.Name, Is.EqualTo("picked"));
        Assert.That(Enumerable.Range(0, picked.RowCount).Select(i => picked.FindColumn("object_id")!.GetValue(i)).Distinct(), Is.EqualTo(new object[] { 1L }));
        Assert.That(picked.RowCount, Is.EqualTo(11));

        var none = InteractiveSelector.Run(seds, _ => Choice.Quit);
        Assert.That(none.RowCount, Is.EqualTo(0));
        Assert.That(none.ColumnCount, Is.EqualTo(seds.ColumnCount));
    }

    [Test]
    public void EachObjectIsHandedOverAsDataThatCharacterPlotDrawsWithBrighterUp()
    {
        var seds = Seds();
        ObjectView? view = null;
        InteractiveSelector.Run(seds, v => { view = v; return Choice.Quit; });
        Assert.That(view!.Table, Is.SameAs(seds));
        Assert.That(view.IsSed, Is.True);
        Assert.That((view.Index, view.Total, view.Rows.Count), Is.EqualTo((0, 3, 11)));
        var drawing = CharacterPlot.Sed(view.Table, view.Rows, 60, 14, view.Title);
        TestContext.Out.WriteLine(drawing);
        var lines = drawing.Split(Environment.NewLine);
        Assert.That(lines[0], Is.EqualTo("object 1 (1 of 3, 11 rows)"));
        Assert.That(drawing, Does.Contain("wavelength (µm)").And.Contain("magnitude (mag), brighter up"));
        // the brightest point (2MASS Ks, 13.4 mag at the longest wavelength) is at the top right
        Assert.That(lines[1], Does.StartWith("   13.4 |"));
        Assert.That(lines[1].TrimEnd(), Does.EndWith("o"));
        // the faintest (SDSS u, 17.1 mag, shortest wavelength) at the bottom left
        Assert.That(lines[14], Does.StartWith("   17.1 |o"));
        Assert.That(drawing.Count(ch => ch == 'o') + drawing.Count(char.IsAsciiDigit), Is.GreaterThanOrEqualTo(9));
    }

    [Test]
    public void TableWithoutObjectsIsAClearError()
    {
        var t = new Table("plain");
        t.AddColumn(RigCatalogs.D("x", null, null, 1));
        Assert.That(() => InteractiveSelector.Run(t, _ => Choice.Keep), Throws.InstanceOf<VoScriptException>().With.Message.StartsWith(
            "table 'plain' has no object column"));
        Assert.That(ObjectView.NoTerminalMessage, Does.Contain("select T where EXPR as NAME"));
    }

    [Test]
    public void CharacterPlotHandlesASinglePoint()
    {
        var seds = Seds();
        var text = CharacterPlot.Sed(seds, [0], 30, 6);
        Assert.That(text.Count(ch => ch == 'o'), Is.EqualTo(1));
        var plain = new Table("plain");
        plain.AddColumn(RigCatalogs.D("x", null, null, 1));
        Assert.That(SedBuilder.IsSed(plain), Is.False);
        Assert.That(SedBuilder.IsSed(seds), Is.True);
    }
}
