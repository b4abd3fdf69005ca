using System.Diagnostics;
using System.Text;
using NUnit.Framework;
using VoScript.Engine.Formats.Fits;
using VoScript.Engine.Formats.VOTable;
using VoScript.Engine.Model;

namespace VoScript.Engine.Tests.Formats;

/// <summary>
/// A null cell (the whole array null) of a fixed-size integer array column with no declared null value and no null
/// element: the writer must still choose a TNULL and write every element of the cell as it, for every integer width
/// (unsignedByte B, short I, int J, long K), so that the null survives the file. Variable-length cells stay as they
/// were (a null cell is an empty array, no TNULL).
/// </summary>
[TestFixture]
[NonParallelizable]
public class FitsArrayNullCellTests
{
    /// <summary>One fixed-size array column of <paramref name="datatype"/>: a full cell, a null cell, another full cell.</summary>
    private static Table Source(string datatype, string size, string a, string b) => VOTableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes($"""
        <?xml version="1.0"?>
        <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>
        <FIELD name="x" datatype="{datatype}" arraysize="{size}"/>
        <DATA><TABLEDATA>
        <TR><TD>{a}</TD></TR>
        <TR><TD></TD></TR>
        <TR><TD>{b}</TD></TR>
        </TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>
        """)));

    public static IEnumerable<TestCaseData> Widths()
    {
        // every value of the width's range that a writer might pick as TNULL is used by a real cell somewhere
        yield return new TestCaseData("unsignedByte", "2", "0 255", "1 2").SetArgDisplayNames("unsignedByte[2]");
        yield return new TestCaseData("short", "2", "-32768 32767", "0 0").SetArgDisplayNames("short[2]");
        yield return new TestCaseData("int", "3", "-2147483648 2147483647 0", "1 2 3").SetArgDisplayNames("int[3]");
        yield return new TestCaseData("long", "4", "-9223372036854775808 9223372036854775807 0 1", "5 6 7 8").SetArgDisplayNames("long[4]");
        yield return new TestCaseData("int", "2x2", "1 2 3 4", "0 0 0 0").SetArgDisplayNames("int[2x2]");
    }

    /// <summary>The cell's elements as text; a fixed cell whose elements are all null is a null cell (FITS has no other way to say it).</summary>
    private static string? Cell(Table t, int row)
    {
        var c = t.Columns[0];
        if (c.IsNull(row)) return null;
        var e = ((System.Collections.IEnumerable)c.GetValue(row)!).Cast<object?>().ToList();
        return e.Count > 0 && e.All(x => x is null) ? null : string.Join(" ", e.Select(x => x?.ToString() ?? "null"));
    }

    private static string?[] Cells(Table t) => Enumerable.Range(0, t.RowCount).Select(r => Cell(t, r)).ToArray();

    private static byte[] Fits(Table t)
    {
        using var ms = new MemoryStream();
        FitsWriter.Write(t, ms);
        return ms.ToArray();
    }

    private static Table Read(byte[] fits) => FitsReader.Read(new MemoryStream(fits), "t.fits");

    [TestCaseSource(nameof(Widths))]
    public void A_null_cell_survives_VOTable_to_FITS(string datatype, string size, string a, string b)
    {
        var src = Source(datatype, size, a, b);
        Assert.That(Cells(src), Is.EqualTo(new[] { a, null, b }), "the source has one null cell");
        var back = Read(Fits(src));
        Assert.That(Cells(back), Is.EqualTo(new[] { a, null, b }));
    }

    [TestCaseSource(nameof(Widths))]
    public void A_null_cell_survives_FITS_to_FITS(string datatype, string size, string a, string b)
    {
        var once = Read(Fits(Source(datatype, size, a, b)));
        var twice = Read(Fits(once));
        Assert.That(Cells(twice), Is.EqualTo(new[] { a, null, b }));
        Assert.That(Cells(Read(Fits(twice))), Is.EqualTo(Cells(twice)), "and again: nothing changes");
    }

    [TestCaseSource(nameof(Widths))]
    public void The_file_declares_a_TNULL_that_no_element_uses(string datatype, string size, string a, string b)
    {
        var bytes = Fits(Source(datatype, size, a, b));
        var text = Encoding.ASCII.GetString(bytes);
        var card = text.IndexOf("TNULL1  =", StringComparison.Ordinal);
        Assert.That(card, Is.GreaterThan(0), "TNULL1 is declared");
        var tnull = text.Substring(card + 10, 20).Trim();
        Assert.That((a + " " + b).Split(' '), Does.Not.Contain(tnull), "TNULL is a value no cell uses");
        // every element of the null cell is TNULL: the reader marks all of them null, and no element of the others
        var back = Read(bytes).Columns[0];
        var per = ((System.Collections.IEnumerable)back.GetValue(1)!).Cast<object?>().ToList();
        Assert.That(per, Has.Count.EqualTo(a.Split(' ').Length).And.All.Null);
    }

    [Test]
    public void Columns_without_null_fixed_cells_get_no_TNULL()
    {
        // no null cell in x; a null variable-length cell (v) is an empty array and needs none: the bytes stay as before
        var clean = VOTableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes("""
            <?xml version="1.0"?>
            <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>
            <FIELD name="x" datatype="int" arraysize="2"/><FIELD name="v" datatype="short" arraysize="*"/>
            <DATA><TABLEDATA><TR><TD>1 2</TD><TD>1</TD></TR><TR><TD>3 4</TD><TD></TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>
            """)));
        Assert.That(Encoding.ASCII.GetString(Fits(clean)), Does.Not.Contain("TNULL"));
    }

    /// <summary>One file with a null cell in each integer width, and what a reference tool prints for it (one line per column).</summary>
    private static string[] ReadWith(string exe, Func<string, string[]> args)
    {
        var path = Path.Combine(Path.GetTempPath(), $"fits-nullcell-{Guid.NewGuid():N}.fits");
        var t = new Table("t");
        foreach (var w in Widths())
        {
            var a = w.Arguments;
            var col = Source((string)a[0]!, (string)a[1]!, (string)a[2]!, (string)a[3]!).Columns[0];
            col.Field.Name = w.ArgDisplayNames![0].Replace("[", "_", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal);
            t.AddColumn(col);
        }
        File.WriteAllBytes(path, Fits(t));
        try
        {
            var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var x in args(path)) psi.ArgumentList.Add(x);
            Process p;
            try { p = Process.Start(psi)!; }
            catch (System.ComponentModel.Win32Exception) { Assert.Ignore(exe + " is not installed"); return []; }
            using (p)
            {
                var err = p.StandardError.ReadToEndAsync();
                var output = p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                if (err.Result.Contains("No module named 'astropy'", StringComparison.Ordinal)) Assert.Ignore("astropy is not installed");
                Assert.That(p.ExitCode, Is.EqualTo(0), err.Result);
                return output.Trim().Split('\n').Select(l => l.Trim()).ToArray();
            }
        }
        finally { File.Delete(path); }
    }

    [Test]
    [Category("Conformance")]
    public void Astropy_reads_the_null_cells_as_masked()
    {
        // per column: the mask of each row's elements (row 2, the null cell, all masked; rows 1 and 3 none)
        const string script = "import sys, warnings; warnings.simplefilter('ignore'); import numpy as np; from astropy.table import Table; "
            + "t = Table.read(sys.argv[1], hdu=1); "
            + "[print(n, ' '.join(''.join('m' if m else '.' for m in np.ravel(np.ma.getmaskarray(t[n][r]))) for r in range(len(t)))) for n in t.colnames]";
        var lines = ReadWith("/usr/bin/python3", path => ["-c", script, path]);
        Assert.That(lines, Is.EqualTo(new[]
        {
            "unsignedByte_2 .. mm ..", "short_2 .. mm ..", "int_3 ... mmm ...", "long_4 .... mmmm ....", "int_2x2 .... mmmm ....",
        }));
    }

    [Test]
    [Category("Conformance")]
    public void Stilts_reads_the_file_with_the_null_cells_as_TNULL_values()
    {
        // STILTS has no blank integer array elements (it writes such a null cell as zeros itself, and astropy writes its
        // fill value without a TNULL): it reads our file, the other cells exactly, and the null cell as its TNULL in
        // every element (not zeros, which would be a value)
        var lines = ReadWith("stilts", path => ["tpipe", "in=" + path, "ifmt=fits", "cmd=keepcols 'unsignedByte_2 short_2 int_3 long_4'", "ofmt=csv"]);
        Assert.That(lines, Has.Length.EqualTo(4), string.Join("\n", lines));
        Assert.That(lines[1], Is.EqualTo("\"(0, 255)\",\"(-32768, 32767)\",\"(-2147483648, 2147483647, 0)\",\"(-9223372036854775808, 9223372036854775807, 0, 1)\""));
        Assert.That(lines[2], Is.EqualTo("\"(3, 3)\",\"(-32767, -32767)\",\"(-2147483647, -2147483647, -2147483647)\",\"(-9223372036854775807, -9223372036854775807, -9223372036854775807, -9223372036854775807)\""));
        Assert.That(lines[3], Is.EqualTo("\"(1, 2)\",\"(0, 0)\",\"(1, 2, 3)\",\"(5, 6, 7, 8)\""));
    }
}
