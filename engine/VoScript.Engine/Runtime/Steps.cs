using System.Globalization;

namespace VoScript.Engine.Runtime;

/// <summary>A parameter: a named value the host may have overridden.</summary>
public sealed record ParamStep : PlanStep
{
    /// <summary>The parameter's name.</summary>
    public required string Name { get; init; }
    /// <summary>Its value.</summary>
    public required PlanValue Value { get; init; }
    /// <inheritdoc/>
    public override string Kind => "param";
    /// <inheritdoc/>
    public override IEnumerable<string> Outputs => [Name];
    /// <inheritdoc/>
    public override string Describe() => $"param {Name} = {Value.ToCanonical()}";
}

/// <summary>A named value.</summary>
public sealed record LetStep : PlanStep
{
    /// <summary>The value's name.</summary>
    public required string Name { get; init; }
    /// <summary>Its value.</summary>
    public required PlanValue Value { get; init; }
    /// <inheritdoc/>
    public override string Kind => "let";
    /// <inheritdoc/>
    public override IEnumerable<string> Outputs => [Name];
    /// <inheritdoc/>
    public override string Describe() => $"let {Name} = {Value.ToCanonical()}";
}

/// <summary>Prints a value, or a one-line summary of a table.</summary>
public sealed record PrintStep : PlanStep
{
    /// <summary>The text to print (when not a table).</summary>
    public string? Text { get; init; }

    /// <summary>The table whose summary is printed.</summary>
    public string? Table { get; init; }

    /// <summary>The workspace value printed, when it is known only at run time (a csharp block's result).</summary>
    public string? Value { get; init; }

    /// <inheritdoc/>
    public override string Kind => "print";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => Table is not null ? [Table] : Value is not null ? [Value] : [];
    /// <inheritdoc/>
    public override string Describe() => Table is not null ? $"print table {Table}"
        : Value is not null ? $"print value {Value}"
        : $"print {new StringValue(Text ?? "").ToCanonical()}";
}

/// <summary>Shows the first rows of a table.</summary>
public sealed record ShowStep : PlanStep
{
    /// <summary>The table shown.</summary>
    public required string Table { get; init; }
    /// <summary>Rows shown at most.</summary>
    public int Limit { get; init; } = 20;
    /// <inheritdoc/>
    public override string Kind => "show";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [Table];
    /// <inheritdoc/>
    public override string Describe() => $"show {Table} limit {Limit.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>Reads a table file (VOTable or CSV, by extension).</summary>
public sealed record LoadStep : PlanStep
{
    /// <summary>The file read.</summary>
    public required string Path { get; init; }
    /// <summary>The workspace name of the table.</summary>
    public required string Output { get; init; }
    /// <inheritdoc/>
    public override string Kind => "load";
    /// <inheritdoc/>
    public override IEnumerable<string> Outputs => [Output];
    /// <inheritdoc/>
    public override string Describe() => $"load {new StringValue(Path).ToCanonical()} as {Output}";
}

/// <summary>Writes a table to a file (VOTable or CSV, by extension; a VOTable in <see cref="Serialization"/>, BINARY2 unless set).</summary>
public sealed record SaveStep : PlanStep
{
    /// <summary>The table saved.</summary>
    public required string Table { get; init; }
    /// <summary>The file written (format by extension).</summary>
    public required string Path { get; init; }
    /// <summary>The VOTable serialization, if given.</summary>
    public Formats.VOTable.VOTableSerialization? Serialization { get; init; }
    /// <inheritdoc/>
    public override string Kind => "save";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [Table];
    /// <inheritdoc/>
    public override string Describe() => $"save {Table} to {new StringValue(Path).ToCanonical()}"
        + (Serialization is { } s ? " as " + s.ToString().ToLowerInvariant() : "");
}

/// <summary>A table sent with a TAP query, and the name the query sees it by (<c>TAP_UPLOAD.NAME</c>).</summary>
public sealed record Upload(string Table, string As)
{
    /// <inheritdoc/>
    public override string ToString() => Table == As ? Table : $"{Table} as {As}";
}

/// <summary>An ADQL query on one TAP service.</summary>
public sealed record QueryStep : PlanStep
{
    /// <summary>The TAP service.</summary>
    public required string Service { get; init; }
    /// <summary>The workspace name of the result.</summary>
    public required string Output { get; init; }
    /// <summary>Run as a UWS job (awaited later).</summary>
    public bool Async { get; init; }
    /// <summary>MAXREC, if given.</summary>
    public long? MaxRec { get; init; }
    /// <summary>Tables uploaded with the query.</summary>
    public IReadOnlyList<Upload> Uploads { get; init; } = [];
    /// <summary>The ADQL text, values already interpolated.</summary>
    public required string Adql { get; init; }
    /// <summary>How long an async job may run before it is aborted (from <c>await … timeout</c>).</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>A failure of the service leaves a table with no rows and a warning instead of failing the step (unless the run is strict).</summary>
    public bool ContinueOnServiceError { get; init; }
    /// <summary>The columns of that empty table: the names the select list gives, when they are known.</summary>
    public IReadOnlyList<string>? ColumnsIfFailed { get; init; }

    /// <inheritdoc/>
    public override string Kind => "query";
    /// <inheritdoc/>
    public override IEnumerable<string> Outputs => [Output];
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => Uploads.Select(u => u.Table);
    /// <inheritdoc/>
    public override IEnumerable<string> Services => [Service];
    /// <inheritdoc/>
    public override bool IsRemote => true;
    /// <inheritdoc/>
    public override PlanStep WithRowLimit(long maxRows) => this with { MaxRec = RowLimit(MaxRec, maxRows) };
    /// <inheritdoc/>
    public override string Describe() => QueryText.Header("query", Service, Async, Output, MaxRec, Uploads, Timeout, ContinueOnServiceError);
    /// <inheritdoc/>
    public override IEnumerable<string> Details() => QueryText.Adql(Adql);
}

/// <summary>The same ADQL query on every service of a service set; results stacked and tagged with their service.</summary>
public sealed record QueryEachStep : PlanStep
{
    /// <summary>The service set queried.</summary>
    public required string ServiceSet { get; init; }
    /// <summary>The workspace name of the merged result.</summary>
    public required string Output { get; init; }
    /// <summary>Run as UWS jobs.</summary>
    public bool Async { get; init; }
    /// <summary>MAXREC, if given.</summary>
    public long? MaxRec { get; init; }
    /// <summary>Tables uploaded with each query.</summary>
    public IReadOnlyList<Upload> Uploads { get; init; } = [];
    /// <summary>The ADQL.</summary>
    public required string Adql { get; init; }
    /// <summary>The time limit of each query.</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>A failing service is reported and skipped instead of failing the step.</summary>
    public bool ContinueOnServiceError { get; init; }

    /// <inheritdoc/>
    public override string Kind => "query-each";
    /// <inheritdoc/>
    public override IEnumerable<string> Outputs => [Output];
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [ServiceSet, .. Uploads.Select(u => u.Table)];
    /// <inheritdoc/>
    public override bool IsRemote => true;
    /// <inheritdoc/>
    public override PlanStep WithRowLimit(long maxRows) => this with { MaxRec = RowLimit(MaxRec, maxRows) };
    /// <inheritdoc/>
    public override string Describe() => QueryText.Header("query each", ServiceSet, Async, Output, MaxRec, Uploads, Timeout, ContinueOnServiceError);
    /// <inheritdoc/>
    public override IEnumerable<string> Details() => QueryText.Adql(Adql);
}

/// <summary>Waits for async results; the step finishes when all of them are in the workspace.</summary>
public sealed record AwaitStep : PlanStep
{
    /// <summary>The async results waited for.</summary>
    public required IReadOnlyList<string> Tables { get; init; }
    /// <summary>The longest wait.</summary>
    public TimeSpan? Timeout { get; init; }
    /// <inheritdoc/>
    public override string Kind => "await";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => Tables;
    /// <inheritdoc/>
    public override string Describe() =>
        "await " + string.Join(", ", Tables) + (Timeout is { } t ? " timeout " + QueryText.Seconds(t) : "");
}

/// <summary>Which DAL protocol a positional search uses.</summary>
public enum PositionSearchKind
{
    /// <summary>Simple Cone Search.</summary>
    Cone,
    /// <summary>SIA 2 image search.</summary>
    Images,
    /// <summary>SSA spectrum search.</summary>
    Spectra,
}

/// <summary>A cone, image or spectrum search around a position (all angles in degrees).</summary>
public sealed record PositionSearchStep : PlanStep
{
    /// <summary>SCS, SIA2 or SSA.</summary>
    public required PositionSearchKind Search { get; init; }
    /// <summary>The service.</summary>
    public required string Service { get; init; }
    /// <summary>RA in degrees.</summary>
    public required double Ra { get; init; }
    /// <summary>Dec in degrees.</summary>
    public required double Dec { get; init; }
    /// <summary>The radius in degrees.</summary>
    public required double Radius { get; init; }
    /// <summary>The workspace name of the result.</summary>
    public required string Output { get; init; }
    /// <summary>MAXREC, if given.</summary>
    public long? MaxRec { get; init; }

    /// <inheritdoc/>
    public override string Kind => Search switch
    {
        PositionSearchKind.Cone => "cone",
        PositionSearchKind.Images => "images",
        _ => "spectra",
    };

    /// <inheritdoc/>
    public override IEnumerable<string> Outputs => [Output];
    /// <inheritdoc/>
    public override IEnumerable<string> Services => [Service];
    /// <inheritdoc/>
    public override bool IsRemote => true;
    /// <inheritdoc/>
    public override PlanStep WithRowLimit(long maxRows) => this with { MaxRec = RowLimit(MaxRec, maxRows) };

    /// <inheritdoc/>
    public override string Describe() =>
        $"{Kind} {Service} at {PlanValue.FormatNumber(Ra)}, {PlanValue.FormatNumber(Dec)} radius {PlanValue.FormatAngle(Radius)} as {Output}"
        + (MaxRec is { } m ? " maxrec " + m.ToString(CultureInfo.InvariantCulture) : "");
}

/// <summary>A Registry (RegTAP) search for services; the result is a service set (a table of services).</summary>
public sealed record FindServicesStep : PlanStep
{
    /// <summary>The capability looked for.</summary>
    public required ServiceProtocol Protocol { get; init; }
    /// <summary>The Registry to ask; null means the host's default.</summary>
    public string? Registry { get; init; }
    /// <summary>Services that have this table (a name pattern).</summary>
    public string? WithTable { get; init; }
    /// <summary>Words the services must mention.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];
    /// <summary>Wavebands they must cover.</summary>
    public IReadOnlyList<string> Wavebands { get; init; } = [];
    /// <summary>The workspace name of the service table.</summary>
    public required string Output { get; init; }

    /// <inheritdoc/>
    public override string Kind => "find-services";
    /// <inheritdoc/>
    public override IEnumerable<string> Outputs => [Output];
    /// <inheritdoc/>
    public override IEnumerable<string> Services => Registry is null ? [] : [Registry];
    /// <inheritdoc/>
    public override bool IsRemote => true;

    /// <inheritdoc/>
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
