using System.Diagnostics;
using System.Text;
using NUnit.Framework;
using VoScript.Engine.Formats.Fits;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;

namespace VoScript.Engine.Tests.Formats;

/// <summary>
/// Null elements of array cells survive VOTable → FITS → VOTable: integer elements through TNULL, boolean ones as the
/// FITS undefined logical (byte 0), float ones as NaN; fixed and variable-length arrays alike. astropy reads the nulls
/// we write as masked elements.
/// </summary>
[TestFixture]
public class FitsArrayNullTests
{
    private static Table Source() => VOTableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes("""
        <?xml version="1.0"?>
        <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>
        <FIELD name="i" datatype="int" arraysize="3"><VALUES null="-99"/></FIELD>
        <FIELD name="s" datatype="short" arraysize="*"><VALUES null="-1"/></FIELD>
        <FIELD name="k" datatype="long" arraysize="2"/>
        <FIELD name="u" datatype="unsignedByte" arraysize="2"><VALUES null="255"/></FIELD>
        <FIELD name="b" datatype="boolean" arraysize="4"/>
        <FIELD name="bv" datatype="boolean" arraysize="*"/>
        <FIELD name="d" datatype="double" arraysize="3"/>
        <DATA><TABLEDATA>
        <TR><TD>1 -99 3</TD><TD>4 -1 6</TD><TD>NULL 5</TD><TD>255 7</TD><TD>? ? T F</TD><TD>T ?</TD><TD>1 NaN 3</TD></TR>
        <TR><TD>7 8 9</TD><TD>10</TD><TD>1 2</TD><TD>1 2</TD><TD>T F T F</TD><TD>F</TD><TD>4 5 6</TD></TR>
        <TR><TD></TD><TD></TD><TD>-1 -2</TD><TD>0 0</TD><TD>??FT</TD><TD>? F</TD><TD>NaN 8 9</TD></TR>
        </TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>
        """)));

    /// <summary>The cell's elements; a fixed cell whose elements are all null is a null cell (FITS has no other way to say it).</summary>
    private static object?[]? Cell(Table t, string column, int row) =>
        t.Columns.First(c => c.Name == column).GetValue(row) is System.Collections.IEnumerable e && e.Cast<object?>().Select(Canon).ToArray() is { } a
            && !(a.Length > 0 && a.All(x => x is null)) ? a : null;

    private static object? Canon(object? o) => o switch
    {
        null => null,
        double d when double.IsNaN(d) => "NaN",
        IConvertible c when o is not bool and not string => c.ToDouble(null),
        _ => o,
    };

    private static void AssertSameCells(Table expected, Table actual, string what)
    {
        foreach (var c in expected.Columns)
            for (var r = 0; r < expected.RowCount; r++)
                Assert.That(Cell(actual, c.Name, r), Is.EqualTo(Cell(expected, c.Name, r)), $"{what}: column {c.Name}, row {r + 1}");
    }

    private static Table ThroughFits(Table t)
    {
        using var ms = new MemoryStream();
        FitsWriter.Write(t, ms);
        ms.Position = 0;
        return FitsReader.Read(ms, "t.fits");
    }

    [Test]
    public void Null_elements_survive_a_round_trip_through_FITS()
    {
        var src = Source();
        Assert.That(Cell(src, "i", 0), Is.EqualTo(new object?[] { 1.0, null, 3.0 }), "the source has the null elements");
        var fits = ThroughFits(src);
        AssertSameCells(src, fits, "VOTable → FITS");
        Assert.That(Cell(fits, "i", 0), Is.EqualTo(new object?[] { 1.0, null, 3.0 }));
        Assert.That(Cell(fits, "k", 0), Is.EqualTo(new object?[] { null, 5.0 }));
        Assert.That(Cell(fits, "b", 0), Is.EqualTo(new object?[] { null, null, true, false }));
        Assert.That(Cell(fits, "bv", 0), Is.EqualTo(new object?[] { true, null }));
        // and on to VOTable again, in every serialization
        foreach (var ser in new[] { VOTableSerialization.TableData, VOTableSerialization.Binary, VOTableSerialization.Binary2 })
        {
            using var ms = new MemoryStream();
            VOTableWriter.Write(fits, ms, new VOTableWriteOptions { Serialization = ser });
            ms.Position = 0;
            AssertSameCells(src, VOTableReader.Read(ms), "VOTable → FITS → VOTable " + ser);
        }
    }

    [Test]
    public void A_null_element_value_that_a_cell_uses_is_not_taken_as_TNULL()
    {
        // the declared null -99 is also a real value in another cell (written by someone else): TNULL must differ
        var t = new Table("t");
        var f = new Field("i", DataType.Int, ArraySize.Fixed(2)) { Values = new FieldValues { Null = "-99" } };
        var nulls = new NullMask(4);
        nulls.Set(1);
        t.AddColumn(new ArrayColumn<int>(f, [-99, 0, 5, int.MinValue], [0, 2, 4], 2, null, nulls));
        var back = ThroughFits(t);
        Assert.That(back.Columns[0].GetValue(0), Is.EqualTo(new int?[] { -99, null }));
        Assert.That(back.Columns[0].GetValue(1), Is.EqualTo(new[] { 5, int.MinValue }));
    }

    [Test]
    public void Show_prints_a_null_integer_element_as_null_not_as_the_null_number()
    {
        var src = Source();
        Assert.That(src.Columns[0].DisplayCell(0), Is.EqualTo("1 -- 3"));
        Assert.That(src.Columns[0].FormatCell(0), Is.EqualTo("1 -99 3"), "TABLEDATA text keeps the VALUES null");
        Assert.That(src.Columns[4].DisplayCell(0), Is.EqualTo("? ? T F"));
    }

    [Test]
    public void Statistics_count_no_null_element_as_a_value()
    {
        var src = Source();
        var i = ColumnStatistics.Of(src.Columns[0]);
        Assert.That((i.Min, i.Max, i.Mean), Is.EqualTo(((double?)1, (double?)9, (double?)((1 + 3 + 7 + 8 + 9) / 5.0))), "-99 is null, not the minimum");
        var s = ColumnStatistics.Of(src.Columns[1]);
        Assert.That((s.Min, s.Max), Is.EqualTo(((double?)4, (double?)10)));
        var d = ColumnStatistics.Of(src.Columns[6]);
        Assert.That((d.Min, d.Max), Is.EqualTo(((double?)1, (double?)9)));
    }

    [Test]
    [Category("Conformance")]
    public void Astropy_reads_our_null_elements_as_masked()
    {
        const string python = "/usr/bin/python3";
        var path = Path.Combine(Path.GetTempPath(), $"fits-arraynull-{Guid.NewGuid():N}.fits");
        using (var fs = File.Create(path)) FitsWriter.Write(Source(), fs);
        try
        {
            const string script = "import sys, warnings; warnings.simplefilter('ignore'); import numpy as np; from astropy.table import Table; "
                + "t = Table.read(sys.argv[1], hdu=1); "
                + "out = lambda c: ' '.join('null' if m else str(v) for v, m in zip(np.ma.getdata(c).tolist(), np.ma.getmaskarray(c).tolist())); "
                + "print(out(t['i'][0])); print(out(t['k'][0])); print(out(t['u'][0])); print(out(t['d'][0]))";
            var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(script);
            psi.ArgumentList.Add(path);
            Process p;
            try { p = Process.Start(psi)!; }
            catch (System.ComponentModel.Win32Exception) { Assert.Ignore("no " + python); return; }
            using (p)
            {
                var err = p.StandardError.ReadToEndAsync();
                var output = p.StandardOutput.ReadToEnd().Trim().Split('\n');
                p.WaitForExit();
                if (err.Result.Contains("No module named 'astropy'")) Assert.Ignore("astropy is not installed");
                Assert.That(p.ExitCode, Is.EqualTo(0), err.Result);
                Assert.That(output[0], Is.EqualTo("1 null 3"));
                // (astropy does not mask elements of variable-length arrays, so 's' is checked by our own reader only)
                Assert.That(output[1], Is.EqualTo("null 5"));
                Assert.That(output[2], Is.EqualTo("null 7"));
                Assert.That(output[3], Does.StartWith("1.0 ").And.Contain("3.0"));
            }
        }
        finally { File.Delete(path); }
    }
}
