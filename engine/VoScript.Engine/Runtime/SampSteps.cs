namespace VoScript.Engine.Runtime;

/// <summary>How <see cref="SendStep"/> sends its tables.</summary>
public enum SampSendForm
{
    /// <summary>Each table as it is, with table.load.votable.</summary>
    Table,
    /// <summary>One spectrum.load.ssa-generic per row of a table of access URLs.</summary>
    Spectra,
    /// <summary>One image.load.fits per row of a table of access URLs.</summary>
    Image,
}

internal static class SampText
{
    /// <summary>A client as the plan shows it: a word as it is, anything else quoted.</summary>
    public static string Client(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_')
            ? name
            : new StringValue(name).ToCanonical();
}

/// <summary>SAMP: sends tables to a client (a samp.name in any case, or <c>all</c>).</summary>
public sealed record SendStep : PlanStep
{
    /// <summary>The tables sent.</summary>
    public required IReadOnlyList<string> Tables { get; init; }
    /// <summary>The SAMP client sent to (a name or <c>all</c>).</summary>
    public required string Client { get; init; }
    /// <summary>What is sent: the table, or URLs in it as spectra or images.</summary>
    public SampSendForm Form { get; init; } = SampSendForm.Table;
    /// <inheritdoc/>
    public override string Kind => "send";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => Tables;
    /// <inheritdoc/>
    public override bool WaitsOutside => true;

    /// <inheritdoc/>
    public override string Describe() =>
        $"send {string.Join(", ", Tables)} to {SampText.Client(Client)} as {Form.ToString().ToLowerInvariant()}";
}

/// <summary>SAMP: waits for a table another client sends (table.load.votable) and names it.</summary>
public sealed record ReceiveStep : PlanStep
{
    /// <summary>The sender's samp.name; null takes a table from anyone.</summary>
    public string? From { get; init; }
    /// <summary>How long to wait; null means the host's default.</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>The workspace name of the received table.</summary>
    public required string Output { get; init; }
    /// <inheritdoc/>
    public override string Kind => "receive";
    /// <inheritdoc/>
    public override bool WaitsOutside => true;
    /// <inheritdoc/>
    public override IEnumerable<string> Outputs => [Output];

    /// <inheritdoc/>
    public override string Describe() =>
        "receive table" + (From is null ? "" : " from " + SampText.Client(From))
        + (Timeout is { } t ? " timeout " + QueryText.Seconds(t) : "") + " as " + Output;
}

/// <summary>SAMP: coord.pointAt.sky (ICRS degrees).</summary>
public sealed record PointStep : PlanStep
{
    /// <summary>The SAMP client.</summary>
    public required string Client { get; init; }
    /// <summary>RA in degrees.</summary>
    public required double Ra { get; init; }
    /// <summary>Dec in degrees.</summary>
    public required double Dec { get; init; }
    /// <inheritdoc/>
    public override string Kind => "point";
    /// <inheritdoc/>
    public override bool WaitsOutside => true;

    /// <inheritdoc/>
    public override string Describe() =>
        $"point {SampText.Client(Client)} at {PlanValue.FormatNumber(Ra)} deg, {PlanValue.FormatNumber(Dec)} deg";
}
