using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using VoScript.Engine;
using VoScript.Server;
using VoScript.Server.Storage;
using VoScript.Server.Tap;

namespace VoScript.Cli.Commands;

/// <summary>
/// <c>voscript serve FILE… [--port N] [--schema NAME] [--table FILE=SCHEMA.NAME]… [--obscore FILE] [--host ADDR] [--max-jobs N]</c>:
/// local tables as a TAP 1.1 service until Ctrl-C or SIGTERM.
/// </summary>
public static class ServeCommand
{
    /// <summary>Makes the embedded database the service queries.</summary>
    internal static Func<ITableStore> StoreFactory
    {
        get => _storeFactory ??= () => new DuckDbTableStore();
        set => _storeFactory = value;
    }

    private static Func<ITableStore>? _storeFactory;

    public static Command Create()
    {
        var files = new Argument<string[]>("file")
        {
            HelpName = "FILE",
            Description = "tables to serve (VOTable or CSV, optionally gzipped), each as SCHEMA.NAME with NAME from the file name",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var port = CliOptions.Number("--port", "N", "TCP port (0: any free port)", 8090, 0, 65535);
        var schema = new Option<string>("--schema")
        {
            HelpName = "NAME",
            Description = "schema of the served tables",
            DefaultValueFactory = _ => ServeSetup.DefaultSchema,
        };
        var tables = new Option<string[]>("--table")
        {
            HelpName = "FILE=SCHEMA.NAME",
            Description = "FILE=SCHEMA.NAME or FILE=NAME: serve FILE under that name (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var obscore = new Option<string?>("--obscore")
        {
            HelpName = "FILE",
            Description = "an ObsCore table, served as ivoa.obscore; relative access_url paths are served from its folder under /files/",
        };
        var host = new Option<string?>("--host")
        {
            HelpName = "ADDRESS",
            Description = "address to listen on, e.g. 0.0.0.0 for every interface (default: 127.0.0.1, this machine only)",
        };
        var maxrec = CliOptions.Number("--maxrec", "N", "rows a query returns when it gives no MAXREC", 10_000L, 0L, long.MaxValue, "rows");
        var maxRows = CliOptions.Number("--max-rows", "N", "the most rows any query returns, whatever its MAXREC", 1_000_000L, 1L, long.MaxValue, "rows");
        var uploadLimit = CliOptions.Number("--upload-limit", "MB", "the most megabytes a request may upload", 16.0, 0.0, 1024.0 * 1024, "megabytes", minExclusive: true);
        var maxJobs = CliOptions.Number("--max-jobs", "N",
            "async jobs that execute at the same time; more wait in QUEUED (default: 4 or the processor count, whichever is more)",
            TapServiceOptions.DefaultMaxConcurrentJobs, 1, 4096, "jobs");
        var maxRequests = CliOptions.Number("--max-requests", "N",
            "requests handled at the same time; more wait in a queue (default: 4 per processor, at least 8)",
            TapServiceOptions.DefaultMaxConcurrentRequests, 1, 100_000, "requests");
        var maxQueued = CliOptions.Number("--max-queued", "N", "requests that may wait for a turn; more get 503 with Retry-After", 64, 0, 100_000, "requests");
        var memoryLimit = CliOptions.Number("--memory-limit", "MB", "the database's memory limit in megabytes (default: half of this machine's memory)",
            StoreLimits.DefaultMemoryLimit / (1024 * 1024), 64L, long.MaxValue / (1024 * 1024), "megabytes");
        var threads = CliOptions.Number("--threads", "N", "threads the database uses (default: the processor count)", Environment.ProcessorCount, 1, 4096, "threads");
        var cache = new Option<string?>("--cache")
        {
            HelpName = "DIR",
            Description = "keep each served file's table as a database file in DIR, so the next start with an unchanged file skips reading and loading it",
        };
        var allowLocalUploads = new Option<bool>("--allow-local-uploads")
        {
            Description = "let UPLOAD=name,URL fetch from loopback, private and link-local addresses (refused by default)",
        };
        var command = new Command("serve",
            "Serve local tables as a TAP 1.1 service (sync, async, uploads, VOSI, TAP_SCHEMA) until Ctrl-C.\n" +
            "The first line printed is the service URL. It listens on 127.0.0.1 only unless --host is given.")
        {
            files, port, schema, tables, obscore, host, maxrec, maxRows, uploadLimit, maxJobs,
            maxRequests, maxQueued, memoryLimit, threads, cache, allowLocalUploads,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (NativeBuild.IsNative) throw new NativeBuild.HandOverException("serve");
            var o = parse.InvocationConfiguration.Output;
            var e = parse.InvocationConfiguration.Error;
            var settings = new ServeSettings(parse.GetValue(files) ?? [], parse.GetValue(tables) ?? [], parse.GetValue(schema)!,
                parse.GetValue(obscore), parse.GetValue(host), parse.GetValue(port), parse.GetValue(maxrec), parse.GetValue(maxRows),
                parse.GetValue(uploadLimit), parse.GetValue(maxJobs))
            {
                MaxRequests = parse.GetValue(maxRequests),
                MaxQueued = parse.GetValue(maxQueued),
                MemoryLimitMb = parse.GetValue(memoryLimit),
                Threads = parse.GetValue(threads),
                AllowLocalUploads = parse.GetValue(allowLocalUploads),
                Cache = parse.GetValue(cache),
            };
            return await RunAsync(settings, o, e, ct).ConfigureAwait(false);
        });
        return command;
    }

    internal sealed record ServeSettings(string[] Files, string[] Tables, string Schema, string? ObsCore, string? Host, int Port,
        long MaxRec, long MaxRows, double UploadLimitMb, int MaxJobs)
    {
        public int MaxRequests { get; init; } = TapServiceOptions.DefaultMaxConcurrentRequests;
        public int MaxQueued { get; init; } = 64;
        public long MemoryLimitMb { get; init; } = StoreLimits.DefaultMemoryLimit / (1024 * 1024);
        public int Threads { get; init; } = Environment.ProcessorCount;
        public bool AllowLocalUploads { get; init; }
        public string? Cache { get; init; }
    }

    /// <summary>The served files and their names; a <see cref="UsageException"/> for bad arguments.</summary>
    internal static List<ServedFile> ResolveFiles(ServeSettings s)
    {
        var list = new List<ServedFile>();
        foreach (var f in s.Files) list.Add(new ServedFile(f, s.Schema, ServeSetup.NameFromFile(f)));
        foreach (var spec in s.Tables)
        {
            var eq = spec.LastIndexOf('=');
            if (eq <= 0 || eq == spec.Length - 1)
                throw new UsageException($"--table '{spec}': expected FILE=SCHEMA.NAME or FILE=NAME");
            var file = spec[..eq];
            var target = spec[(eq + 1)..];
            var dot = target.IndexOf('.');
            var (sch, name) = dot < 0 ? (s.Schema, target) : (target[..dot], target[(dot + 1)..]);
            list.Add(new ServedFile(file, sch, name));
        }
        return list;
    }

    internal static async Task<int> RunAsync(ServeSettings s, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

        IReadOnlyList<(ServedFile File, Engine.Model.Table Table)> tables;
        (string, Engine.Model.Table)? obscore = null;
        TapServiceOptions options;
        List<ServedFile> resolved;
        TableCache? cache;
        try
        {
            if (s.Files.Length == 0 && s.Tables.Length == 0 && s.ObsCore is null)
                throw new UsageException("nothing to serve: give one or more table files (or --table, --obscore)");
            if (!ServeSetup.IsIdentifier(s.Schema))
                throw new UsageException($"--schema {s.Schema}: a schema name is a letter followed by letters, digits or _");
            if (s.Port is < 0 or > 65535) throw new UsageException($"--port {s.Port}: a port is 0 to 65535");
            if (s.MaxRec < 0 || s.MaxRows < 1) throw new UsageException("--maxrec must be 0 or more and --max-rows 1 or more");
            if (s.UploadLimitMb <= 0) throw new UsageException("--upload-limit must be more than 0 (megabytes)");
            if (s.MaxJobs < 1) throw new UsageException($"--max-jobs {s.MaxJobs}: give 1 or more async jobs that may execute at once");
            if (s.MaxRequests < 1) throw new UsageException($"--max-requests {s.MaxRequests}: give 1 or more");
            if (s.MaxQueued < 0) throw new UsageException($"--max-queued {s.MaxQueued}: give 0 or more");
            if (s.MemoryLimitMb < 64) throw new UsageException($"--memory-limit {s.MemoryLimitMb}: give at least 64 (megabytes)");
            if (s.Threads < 1) throw new UsageException($"--threads {s.Threads}: give 1 or more");
            var address = IPAddress.Loopback;
            if (s.Host is not null)
            {
                if (s.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) address = IPAddress.Loopback;
                else if (!IPAddress.TryParse(s.Host, out address!))
                    throw new UsageException($"--host {s.Host}: give an IP address of this machine, e.g. 0.0.0.0 for every interface");
            }
            options = new TapServiceOptions
            {
                Address = address,
                Port = s.Port,
                DefaultMaxRec = Math.Min(s.MaxRec, s.MaxRows),
                HardMaxRec = s.MaxRows,
                UploadLimitBytes = (long)(s.UploadLimitMb * 1024 * 1024),
                MaxConcurrentJobs = s.MaxJobs,
                MaxConcurrentRequests = s.MaxRequests,
                MaxQueuedRequests = s.MaxQueued,
                AllowLocalUploads = s.AllowLocalUploads,
            };
            resolved = ResolveFiles(s);
            ServeSetup.CheckNames(resolved);
        }
        catch (VoScriptException e)
        {
            stderr.WriteLine($"voscript: {e.Message}");
            return 2;
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"voscript: {e.Message}");
            return 2;
        }
        try
        {
            // Files that cannot be read or are no tables: bad input (exit code 1), as for every command.
            cache = s.Cache is null ? null : new TableCache(s.Cache);
            tables = ServeSetup.ReadFiles(resolved, cache);
            if (s.ObsCore is not null) obscore = (s.ObsCore, ServeSetup.ReadTable(s.ObsCore));
        }
        catch (VoScriptException e)
        {
            stderr.WriteLine($"voscript: {e.Message}");
            return 1;
        }

        ITableStore store;
        TapServer server;
        try
        {
            store = StoreFactory();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            stderr.WriteLine($"voscript: cannot start the embedded database: {e.Message}");
            return 1;
        }
        await using (store.ConfigureAwait(false))
        {
            try
            {
                server = await TapServer.StartAsync(store, options, stop.Token).ConfigureAwait(false);
            }
            catch (VoScriptException e)
            {
                stderr.WriteLine($"voscript: {e.Message}");
                return 1;
            }
            await using (server.ConfigureAwait(false))
            {
                ServeSummary summary;
                try
                {
                    summary = await ServeSetup.LoadAsync(server, store, tables, obscore, stop.Token, cache).ConfigureAwait(false);
                    // the serve's own set-up ends here: database files it opens (a cache of served tables) are attached
                    // above this line; then external access, extensions and the configuration are locked for good
                    store.LockDown(new StoreLimits { MemoryLimitBytes = s.MemoryLimitMb * 1024 * 1024, Threads = s.Threads });
                }
                catch (VoScriptException e)
                {
                    stderr.WriteLine($"voscript: {e.Message}");
                    return 1;
                }
                stdout.WriteLine($"TAP service: {server.TapUrl}");
                foreach (var t in summary.Tables)
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {t.Schema}.{t.Name}: {t.Rows} rows, {t.Fields.Count} columns"));
                stdout.WriteLine("  TAP_SCHEMA: schemas, tables, columns, keys, key_columns");
                if (cache is not null)
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  cache {cache.Folder}: {cache.Hits} of {tables.Count} tables from it"));
                if (server.HasObsCore) stdout.WriteLine($"  data files of ivoa.obscore under {new Uri(server.TapUrl, "/files/")}");
                stdout.WriteLine(options.Address.Equals(IPAddress.Loopback)
                    ? "loopback only (use --host to open it)"
                    : $"listening on {options.Address}: reachable from other machines; there is no authentication");
                stdout.WriteLine("press Ctrl-C to stop");
                stdout.Flush();
                foreach (var w in summary.Warnings) stderr.WriteLine($"warning: {w}");
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) { }
                var jobs = server.JobCount;
                stdout.WriteLine(jobs == 0 ? "TAP service stopping" : $"TAP service stopping; deleting {jobs} async job(s)");
                stdout.Flush();
            }
        }
        return 0;
    }
}
