using System.Diagnostics;
using System.Security.Cryptography;

namespace VoScript.Fuzz;

/// <summary>
/// <c>VoScript.Fuzz TARGET --mutate SECONDS CORPUS OUT</c>: an in-process mutation fuzzer (the CI budget);
/// <c>VoScript.Fuzz TARGET --afl</c>: the AFL++ entry point through SharpFuzz (run by afl-fuzz on instrumented assemblies);
/// <c>VoScript.Fuzz TARGET --run FILE…</c>: runs inputs once (to reproduce a crash).
/// Exit codes: 0 clean, 1 a crash (the input is saved in OUT), 2 usage, 3 a hang (saved too).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args is [var aflTarget, "--afl"] && aflTarget is "votable" or "adql" or "xmlrpc" or "vos")
        {
            // Under afl-fuzz the instrumented assemblies write coverage to shared memory that SharpFuzz sets up in
            // Run: no instrumented code (not even Targets' static constructor, which makes reader options) may run
            // before it, or the process dies with an access violation before the first input.
            SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
            {
                using var ms = new MemoryStream();
                stream.CopyTo(ms);
                Targets.All[aflTarget](ms.ToArray());
            });
            return 0;
        }
        if (args.Length < 2 || !Targets.All.TryGetValue(args[0], out var target))
        {
            Console.Error.WriteLine($"usage: VoScript.Fuzz TARGET (--mutate SECONDS CORPUS OUT | --afl | --run FILE…); targets: {string.Join(", ", Targets.All.Keys)}");
            return 2;
        }
        switch (args[1])
        {
            case "--run":
                foreach (var f in args.Skip(2)) target(File.ReadAllBytes(f));
                Console.WriteLine($"{args.Length - 2} input(s) ran clean");
                return 0;
            case "--mutate" when args.Length == 5 && int.TryParse(args[2], out var seconds):
                return new Mutator(args[0], target, args[3], args[4]).Run(TimeSpan.FromSeconds(seconds));
            default:
                Console.Error.WriteLine("usage: VoScript.Fuzz TARGET --mutate SECONDS CORPUS OUT");
                return 2;
        }
    }
}

/// <summary>
/// A plain mutation fuzzer: starts from the corpus, applies byte flips, interesting values, insertions and deletions,
/// block copies, splices of two inputs and the target's own tokens, and keeps every input that is new by outcome
/// (exception type and message shape) as a seed. Before each run the input is written to OUT/last-input, so that a
/// crash that kills the process (a stack overflow) leaves it behind; a run that takes over 10 s is a hang.
/// </summary>
internal sealed class Mutator(string name, Func<byte[], string> target, string corpusDir, string outDir)
{
    private static readonly Dictionary<string, string[]> Tokens = new()
    {
        ["votable"] = ["<VOTABLE version=\"1.4\">", "<RESOURCE>", "<TABLE>", "</TABLE>", "<FIELD name=\"a\" datatype=\"int\" arraysize=\"", "<DATA>", "<TABLEDATA>", "<TR>", "<TD>", "</TD>", "</TR>", "<BINARY>", "<BINARY2>", "<STREAM encoding=\"base64\">", "<STREAM encoding=\"gzip\">", "</STREAM>", "<PARAM ", "<GROUP>", "<INFO ", "arraysize=\"*\"", "arraysize=\"0\"", "arraysize=\"2x3*\"", "datatype=\"char\"", "datatype=\"bit\"", "datatype=\"doubleComplex\"", "nrows=\"99999999\"", "&#0;", "&amp;", "<![CDATA[", "<!--", "AAAA", "H4sI", "<?xml version=\"1.0\" encoding=\"UTF-16\"?>"],
        ["adql"] = ["SELECT ", " FROM ", " WHERE ", "(", ")", "((", "))", " AND ", " OR ", " NOT ", "CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 1, 2, 3))", " UNION ", " JOIN ", " ON ", "TOP 5 ", " ORDER BY ", " GROUP BY ", "COUNT(*)", "'", "\"", "--", "/*", "1e308", "-", "||", "CASE WHEN ", " END", "CAST(", " AS ", "WITH q AS (", " IN (", "EXISTS (SELECT 1 FROM t)", "TAP_UPLOAD.x"],
        ["xmlrpc"] = ["<methodCall>", "<methodName>", "</methodName>", "<params>", "<param>", "<value>", "</value>", "<struct>", "<member>", "<name>", "<array>", "<data>", "<string>", "<i4>", "<double>", "<boolean>", "<nil/>", "<fault>", "<methodResponse>", "<!DOCTYPE x [<!ENTITY a \"b\">]>", "&a;", "&#x0;"],
        ["vos"] = ["query ", "service ", " = ", "tap(\"http://x/tap\")", "adql ", "\"\"\"", "select ", " where ", "load ", "save ", "show ", "csharp {", "}", "(", ")", "[", "]", "await ", "param ", "run ", "plot ", "cluster ", " by ", "#", "\n", "\"", "1e309", "deg", "arcsec"],
    };

    /// <summary>FUZZ_SEED makes a run repeatable (the test suite sets it); otherwise every run explores afresh.</summary>
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var s) ? s : Environment.TickCount;

    private readonly Random _rng = new(Seed);
    private readonly List<byte[]> _seeds = [];
    private readonly HashSet<string> _outcomes = [];
    private long _execs;
    private volatile int _running;
    private long _startedAt;

    public int Run(TimeSpan budget)
    {
        Directory.CreateDirectory(outDir);
        if (Directory.Exists(corpusDir))
            foreach (var f in Directory.EnumerateFiles(corpusDir)) _seeds.Add(File.ReadAllBytes(f));
        if (_seeds.Count == 0) _seeds.Add([]);
        var last = Path.Combine(outDir, "last-input");
        var sw = Stopwatch.StartNew();
        byte[]? hung = null;
        var watchdog = new Thread(() =>
        {
            while (true)
            {
                Thread.Sleep(500);
                if (_running == 1 && Stopwatch.GetElapsedTime(Interlocked.Read(ref _startedAt)).TotalSeconds > 10)
                {
                    hung = File.ReadAllBytes(last);
                    var path = Save("hang", hung);
                    Console.WriteLine($"fuzz {name}: HANG (over 10 s) on {path}");
                    Environment.Exit(3);
                }
            }
        }) { IsBackground = true };
        watchdog.Start();
        foreach (var s in _seeds.ToList()) Exec(s, last, keep: false);
        while (sw.Elapsed < budget)
        {
            var input = Mutate(_seeds[_rng.Next(_seeds.Count)]);
            if (!Exec(input, last, keep: true)) return 1;
        }
        Console.WriteLine($"fuzz {name}: {_execs} inputs in {sw.Elapsed.TotalSeconds:0} s, {_seeds.Count} seeds, {_outcomes.Count} distinct outcomes, 0 crashes (FUZZ_SEED={Seed})");
        return 0;
    }

    private bool Exec(byte[] input, string last, bool keep)
    {
        File.WriteAllBytes(last, input);
        Interlocked.Exchange(ref _startedAt, Stopwatch.GetTimestamp());
        _running = 1;
        string outcome;
        try
        {
            outcome = target(input);
        }
        catch (Exception e)
        {
            _running = 0;
            var path = Save("crash", input);
            Console.WriteLine($"fuzz {name}: CRASH {e.GetType().Name}: {e.Message} (FUZZ_SEED={Seed})\n  input saved as {path}\n{e}");
            return false;
        }
        _running = 0;
        _execs++;
        if (keep && _outcomes.Add(outcome) && _seeds.Count < 2000 && input.Length <= 64 << 10) _seeds.Add(input);
        return true;
    }

    private string Save(string kind, byte[] input)
    {
        var path = Path.Combine(outDir, $"{kind}-{name}-{Convert.ToHexString(SHA256.HashData(input))[..16].ToLowerInvariant()}");
        File.WriteAllBytes(path, input);
        return path;
    }

    private byte[] Mutate(byte[] seed)
    {
        var data = new List<byte>(seed);
        var rounds = 1 + _rng.Next(4);
        for (var r = 0; r < rounds; r++)
        {
            var pos = data.Count == 0 ? 0 : _rng.Next(data.Count + 1);
            switch (_rng.Next(9))
            {
                case 0 when data.Count > 0: // flip a bit
                    var i = _rng.Next(data.Count);
                    data[i] ^= (byte)(1 << _rng.Next(8));
                    break;
                case 1 when data.Count > 0: // an interesting byte
                    data[_rng.Next(data.Count)] = new byte[] { 0, 0xff, 0x7f, 0x80, (byte)'<', (byte)'>', (byte)'"', (byte)'&', (byte)'(', (byte)'0', (byte)'9', (byte)'=' }[_rng.Next(12)];
                    break;
                case 2 when data.Count > 0: // delete a run
                    var len = Math.Min(data.Count - Math.Min(pos, data.Count - 1), 1 + _rng.Next(32));
                    data.RemoveRange(Math.Min(pos, data.Count - 1), Math.Max(1, len));
                    break;
                case 3 when data.Count > 0: // copy a block elsewhere
                    var from = _rng.Next(data.Count);
                    var n = Math.Min(data.Count - from, 1 + _rng.Next(64));
                    data.InsertRange(pos, data.GetRange(from, n));
                    break;
                case 4: // a random byte
                    data.Insert(pos, (byte)_rng.Next(256));
                    break;
                case 5 when _seeds.Count > 1: // splice with another seed
                    var other = _seeds[_rng.Next(_seeds.Count)];
                    var cut = data.Count == 0 ? 0 : _rng.Next(data.Count);
                    data.RemoveRange(cut, data.Count - cut);
                    data.AddRange(other.Skip(other.Length == 0 ? 0 : _rng.Next(other.Length)));
                    break;
                case 6 when data.Count > 0: // repeat a block many times (nesting, long chains)
                    var start = _rng.Next(data.Count);
                    var block = data.GetRange(start, Math.Min(data.Count - start, 1 + _rng.Next(8)));
                    var times = 1 + _rng.Next(2000);
                    var rep = new List<byte>(block.Count * times);
                    for (var t = 0; t < times; t++) rep.AddRange(block);
                    data.InsertRange(start, rep);
                    break;
                default: // a token of the target's language
                    var tokens = Tokens[name];
                    data.InsertRange(pos, System.Text.Encoding.UTF8.GetBytes(tokens[_rng.Next(tokens.Length)]));
                    break;
            }
        }
        if (data.Count > 1 << 20) data.RemoveRange(1 << 20, data.Count - (1 << 20));
        return data.ToArray();
    }
}
