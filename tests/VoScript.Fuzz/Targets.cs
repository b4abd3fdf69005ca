using System.Text;
using VoScript.Engine;
using VoScript.Engine.Protocols.Samp;
using VoScript.Engine.Formats.VOTable;
using VoScript.Hosting;
using VoScript.Server;
using VoScript.Adql;
using VoScript.Server.Storage;

namespace VoScript.Fuzz;

/// <summary>
/// The fuzzed entry points. Each takes arbitrary bytes; the errors a user may see for bad input (the reader's or
/// parser's own exception type) are the expected outcome, anything else (another exception, a hang, a crash) is a bug.
/// </summary>
internal static class Targets
{
    public static readonly IReadOnlyDictionary<string, Func<byte[], string>> All = new Dictionary<string, Func<byte[], string>>
    {
        ["votable"] = VOTable,
        ["adql"] = Adql,
        ["xmlrpc"] = XmlRpcDocument,
        ["vos"] = Vos,
    };

    /// <summary>Small limits so that one input costs little; the same code paths as the defaults.</summary>
    private static readonly VOTableReadOptions ReadOptions = new()
    {
        Limits = ReaderLimits.Network with { MaxDecodedBytes = 16 << 20, MaxInflatedBytes = 16 << 20, MaxCellLength = 1 << 20, MaxRows = 100_000 },
    };

    /// <summary>What an expected error says, without its numbers: inputs with new outcomes become seeds.</summary>
    private static string Shape(Exception e) => e.GetType().Name + ":" + new string(e.Message.Where(c => !char.IsDigit(c)).Take(60).ToArray());

    private static string VOTable(byte[] data)
    {
        try
        {
            return "ok:" + VOTableReader.ReadAll(new MemoryStream(data, writable: false), ReadOptions).Count;
        }
        catch (VoScriptException e) { return Shape(e); }
    }

    private static string Adql(byte[] data)
    {
        try
        {
            return "ok:" + AdqlParser.Parse(Encoding.UTF8.GetString(data)).GetType().Name;
        }
        catch (AdqlException e) { return Shape(e); }
    }

    private static string XmlRpcDocument(byte[] data)
    {
        string a, b;
        try { a = "call:" + XmlRpc.ReadCall(new MemoryStream(data, writable: false)).Params.Count; }
        catch (XmlRpcFormatException e) { a = Shape(e); }
        try { b = "response:" + XmlRpc.ReadResponse(new MemoryStream(data, writable: false)).GetType().Name; }
        catch (XmlRpcFormatException e) { b = Shape(e); }
        catch (XmlRpcFaultException e) { b = Shape(e); }
        return a + "|" + b;
    }

    private static readonly VoScriptHost Host = new();

    private static string Vos(byte[] data)
    {
        var parsed = ParsedScript.Parse(Encoding.UTF8.GetString(data), "fuzz.vos");
        var compiled = Host.Compile(parsed);
        return "diagnostics:" + string.Join(",", compiled.Diagnostics.Select(d => d.Code).Distinct().Order());
    }
}
