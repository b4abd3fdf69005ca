using VoScript.Dsl.Parsing;

namespace VoScript.Dsl.Tests.CSharp;

/// <summary>The brace that ends a csharp block: braces inside C# literals and comments do not count.</summary>
[TestFixture]
public class CSharpScannerTests
{
    private static string Body(string code)
    {
        var text = "{" + code + "} tail";
        var scan = CSharpScanner.FindClosingBrace(text, 1);
        Assert.That(scan.Error, Is.Null, scan.Error);
        return text[1..scan.Close];
    }

    [TestCase("var a = new { X = 1 }; if (a.X > 0) { a = null; }")]
    [TestCase("var s = \"}\\\"}\";")]
    [TestCase("var c = '}'; var d = '\\'';")]
    [TestCase("// }\nvar x = 1;\n")]
    [TestCase("/* } { */ var x = 1;")]
    [TestCase("var v = @\"a \"\"}\"\" \\\";")]
    [TestCase("var i = $\"{(x > 0 ? \"}\" : \"{\")} {{\";")]
    [TestCase("var r = \"\"\"\n  } \"\" }\n  \"\"\";")]
    [TestCase("var r = $$\"\"\"{ \"a\": {{x}} }\"\"\";")]
    [TestCase("var e = \"\"; var @class = 1;")]
    public void BlockEndsAtTheMatchingBrace(string code) => Assert.That(Body(code), Is.EqualTo(code));

    [TestCase("var s = \"open;\n}", "this C# string is not closed: add \" to end it", 8)]
    [TestCase("/* never closed }", "this C# comment is not closed: add */ to end it", 0)]
    [TestCase("if (x) { y();", "this C# block is not closed: add '}' after the code", -1)]
    [TestCase("var r = \"\"\"\n } \n", "this C# raw string is not closed: add \"\"\" to end it", 8)]
    public void UnclosedConstructIsReportedWhereItStarts(string code, string message, int at)
    {
        var text = "{" + code;
        var scan = CSharpScanner.FindClosingBrace(text, 1);
        Assert.That(scan.Error, Is.EqualTo(message));
        Assert.That(scan.ErrorAt, Is.EqualTo(at + 1));
    }
}
