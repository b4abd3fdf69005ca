using System.Globalization;

namespace VoScript.Engine.Runtime;

/// <summary>A parameter: a named value the host may have overridden.</summary>
internal sealed record ParamStep : PlanStep
{
    public required string Name { get; init; }
    public required PlanValue Value { get; init; }
    public override string Kind => "param";
    public override IEnumerable<string> Outputs => [Name];
    public override string Describe() => $"param {Name} = {Value.ToCanonical()}";
}

/// <summary>A named value.</summary>
internal sealed record LetStep : PlanStep
{
    public required string Name { get; init; }
    public required PlanValue Value { get; init; }
    public override string Kind => "let";
    public override IEnumerable<string> Outputs => [Name];
    public override string Describe() => $"let {Name} = {Value.ToCanonical()}";
}

/// <summary>Prints a value, or a one-line summary of a table.</summary>
internal sealed record PrintStep : PlanStep
{
    /// <summary>The text to print (when not a table).</summary>
    public string? Text { get; init; }

    /// <summary>The table whose summary is printed.</summary>
    public string? Table { get; init; }

    /// <summary>The workspace value printed, when it is known only at run time (a csharp block's result).</summary>
    public string? Value { get; init; }

    public override string Kind => "print";
    public override IEnumerable<string> Inputs => Table is not null ? [Table] : Value is not null ? [Value] : [];
    public override string Describe() => Table is not null ? $"print table {Table}"
        : Value is not null ? $"print value {Value}"
        : $"print {new StringValue(Text ?? "").ToCanonical()}";
}

/// <summary>Shows the first rows of a table.</summary>
internal sealed record ShowStep : PlanStep
{
    public required string Table { get; init; }
    public int Limit { get; init; } = 20;
    public override string Kind => "show";
    public override IEnumerable<string> Inputs => [Table];
    public override string Describe() => $"show {Table} limit {Limit.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>Reads a table file (VOTable or CSV, by extension).</summary>
internal sealed record LoadStep : PlanStep
{
    public required string Path { get; init; }
    public required string Output { get; init; }
    public override string Kind => "load";
    public override IEnumerable<string> Outputs => [Output];
    public override string Describe() => $"load {new StringValue(Path).ToCanonical()} as {Output}";
}

/// <summary>Writes a table to a file (VOTable or CSV, by extension; a VOTable in <see cref="Serialization"/>, BINARY2 unless set).</summary>
internal sealed record SaveStep : PlanStep
{
    public required string Table { get; init; }
    public required string Path { get; init; }
    public Formats.VOTable.VOTableSerialization? Serialization { get; init; }
    public override string Kind => "save";
    public override IEnumerable<string> Inputs => [Table];
    public override string Describe() => $"save {Table} to {new StringValue(Path).ToCanonical()}"
        + (Serialization is { } s ? " as " + s.ToString().ToLowerInvariant() : "");
}

/// <summary>A table sent with a TAP query, and the name the query sees it by (<c>TAP_UPLOAD.NAME</c>).</summary>
internal sealed record Upload(string Table, string As)
{
    public override string ToString() => Table == As ? Table : $"{Table} as {As}";
}

/// <summary>An ADQL query on one TAP service.</summary>
internal sealed record QueryStep : PlanStep
{
    public required string Service { get; init; }
    public required string Output { get; init; }
    public bool Async { get; init; }
    public long? MaxRec { get; init; }
    public IReadOnlyList<Upload> Uploads { get; init; } = [];
    /// <summary>The ADQL text, values already interpolated.</summary>
    public required string Adql { get; init; }
    /// <summary>How long an async job may run before it is aborted (from <c>await … timeout</c>).</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>A failure of the service leaves a table with no rows and a warning instead of failing the step (unless the run is strict).</summary>
    public bool ContinueOnServiceError { get; init; }
    /// <summary>The columns of that empty table: the names the select list gives, when they are known.</summary>
    public IReadOnlyList<string>? ColumnsIfFailed { get; init; }

    public override string Kind => "query";
    public override IEnumerable<string> Outputs => [Output];
    public override IEnumerable<string> Inputs => Uploads.Select(u => u.Table);
    public override IEnumerable<string> Services => [Service];
    public override bool IsRemote => true;
    public override PlanStep WithRowLimit(long maxRows) => this with { MaxRec = RowLimit(MaxRec, maxRows) };
    public override string Describe() => QueryText.Header("query", Service, Async, Output, MaxRec, Uploads, Timeout, ContinueOnServiceError);
    public override IEnumerable<string> Details() => QueryText.Adql(Adql);
}

/// <summary>The same ADQL query on every service of a service set; results stacked and tagged with their service.</summary>
internal sealed record QueryEachStep : PlanStep
{
    public required string ServiceSet { get; init; }
    public required string Output { get; init; }
    public bool Async { get; init; }
    public long? MaxRec { get; init; }
    public IReadOnlyList<Upload> Uploads { get; init; } = [];
    public required string Adql { get; init; }
    public TimeSpan? Timeout { get; init; }
    /// <summary>A failing service is reported and skipped instead of failing the step.</summary>
    public bool ContinueOnServiceError { get; init; }

    public override string Kind => "query-each";
    public override IEnumerable<string> Outputs => [Output];
    public override IEnumerable<string> Inputs => [ServiceSet, .. Uploads.Select(u => u.Table)];
    public override bool IsRemote => true;
    public override PlanStep WithRowLimit(long maxRows) => this with { MaxRec = RowLimit(MaxRec, maxRows) };
    public override string Describe() => QueryText.Header("query each", ServiceSet, Async, Output, MaxRec, Uploads, Timeout, ContinueOnServiceError);
    public override IEnumerable<string> Details() => QueryText.Adql(Adql);
}

/// <summary>Waits for async results; the step finishes when all of them are in the workspace.</summary>
internal sealed record AwaitStep : PlanStep
{
    public required IReadOnlyList<string> Tables { get; init; }
    public TimeSpan? Timeout { get; init; }
    public override string Kind => "await";
    public override IEnumerable<string> Inputs => Tables;
    public override string Describe() =>
        "await " + string.Join(", ", Tables) + (Timeout is { } t ? " timeout " + QueryText.Seconds(t) : "");
}

/// <summary>Which DAL protocol a positional search uses.</summary>
internal enum PositionSearchKind
{
    /// <summary>Simple Cone Search.</summary>
    Cone,
    /// <summary>SIA 2 image search.</summary>
    Images,
    /// <summary>SSA spectrum search.</summary>
    Spectra,
}

/// <summary>A cone, image or spectrum search around a position (all angles in degrees).</summary>
internal sealed record PositionSearchStep : PlanStep
{
    public required PositionSearchKind Search { get; init; }
    public required string Service { get; init; }
    public required double Ra { get; init; }
    public required double Dec { get; init; }
    public required double Radius { get; init; }
    public required string Output { get; init; }
    public long? MaxRec { get; init; }

    public override string Kind => Search switch
    {
        PositionSearchKind.Cone => "cone",
        PositionSearchKind.Images => "images",
        _ => "spectra",
    };

    public override IEnumerable<string> Outputs => [Output];
    public override IEnumerable<string> Services => [Service];
    public override bool IsRemote => true;
    public override PlanStep WithRowLimit(long maxRows) => this with { MaxRec = RowLimit(MaxRec, maxRows) };

    public override string Describe() =>
        $"{Kind} {Service} at {PlanValue.FormatNumber(Ra)}, {PlanValue.FormatNumber(Dec)} radius {PlanValue.FormatNumber(Radius)} deg as {Output}"
        + (MaxRec is { } m ? " maxrec " + m.ToString(CultureInfo.InvariantCulture) : "");
}

/// <summary>A Registry (RegTAP) search for services; the result is a service set (a table of services).</summary>
internal sealed record FindServicesStep : PlanStep
{
    /// <summary>The capability looked for.</summary>
    public required ServiceProtocol Protocol { get; init; }
    /// <summary>The Registry to ask; null means the host's default.</summary>
    public string? Registry { get; init; }
    public string? WithTable { get; init; }
    public IReadOnlyList<string> Keywords { get; init; } = [];
    public IReadOnlyList<string> Wavebands { get; init; } = [];
    public required string Output { get; init; }

    public override string Kind => "find-services";
    public override IEnumerable<string> Outputs => [Output];
    public override IEnumerable<string> Services => Registry is null ? [] : [Registry];
    public override bool IsRemote => true;

    public override string Describe()
    {
        var s = "find services " + Protocol.Name();
        if (Registry is not null) s += " in " + Registry;
        if (WithTable is not null) s += " with table " + new StringValue(WithTable).ToCanonical();
        if (Keywords.Count > 0) s += " keywords " + string.Join(", ", Keywords.Select(k => new StringValue(k).ToCanonical()));
        if (Wavebands.Count > 0)
            s += " waveband " + string.Join(", ", Wavebands.Select(w => w.All(char.IsLetterOrDigit) ? w : new StringValue(w).ToCanonical()));
        return s + " as " + Output;
    }
}

internal static class QueryText
{
    public static string Seconds(TimeSpan t) => PlanValue.FormatNumber(t.TotalSeconds) + " s";

    public static string Header(string verb, string source, bool async, string output, long? maxRec,
        IReadOnlyList<Upload> uploads, TimeSpan? timeout, bool continueOnError)
    {
        var s = $"{verb} {source} {(async ? "async" : "sync")} as {output}";
        if (maxRec is { } m) s += " maxrec " + m.ToString(CultureInfo.InvariantCulture);
        if (uploads.Count > 0) s += " upload " + string.Join(", ", uploads);
        if (timeout is { } t) s += " timeout " + Seconds(t);
        if (continueOnError) s += " on error continue";
        return s;
    }

    public static IEnumerable<string> Adql(string adql) => adql.Split('\n');
}
