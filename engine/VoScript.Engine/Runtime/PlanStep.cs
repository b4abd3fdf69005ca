namespace VoScript.Engine.Runtime;

/// <summary>
/// One unit of work in a <see cref="Plan"/>. A step runs when every step in
/// <see cref="DependsOn"/> has finished; what it does is decided by the
/// <see cref="IStepHandler"/> registered for its <see cref="Kind"/>.
/// </summary>
public abstract record PlanStep
{
    /// <summary>Unique within its plan (<c>s1</c>, <c>s2</c>, … when built by the compiler).</summary>
    public required string Id { get; init; }

    /// <summary>Ids of the steps that must finish first.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>Where the step came from, for messages (e.g. <c>seds.vos:9</c>); optional.</summary>
    public string? Origin { get; init; }

    /// <summary>The handler key: <c>param</c>, <c>query</c>, <c>save</c>, …</summary>
    public abstract string Kind { get; }

    /// <summary>The names (tables or values) this step puts into the workspace.</summary>
    public virtual IEnumerable<string> Outputs => [];

    /// <summary>The workspace names (tables or values) this step reads when it runs.</summary>
    public virtual IEnumerable<string> Inputs => [];

    /// <summary>The plan's services (by name) this step talks to; a plan must define each of them.</summary>
    public virtual IEnumerable<string> Services => [];

    /// <summary>Whether the step talks to a VO service over the network (hosts list it as running, with its job phase).</summary>
    public virtual bool IsRemote => false;

    /// <summary>Whether the step waits on something outside the process (a service, a SAMP peer): hosts say when it starts and ends.</summary>
    public virtual bool WaitsOutside => IsRemote;

    /// <summary>Whether the step asks the user while it runs (a host shows no live view over it).</summary>
    public virtual bool AsksUser => false;

    /// <summary>The step asking for at most <paramref name="maxRows"/> rows (a host's limit); steps that ask services for no rows return themselves.</summary>
    public virtual PlanStep WithRowLimit(long maxRows) => this;

    /// <summary><paramref name="requested"/> (a step's own MAXREC) under a host's row limit.</summary>
    protected static long RowLimit(long? requested, long maxRows) => requested is { } v ? Math.Min(v, maxRows) : maxRows;

    /// <summary>One line saying what the step does, for the plan printer and progress.</summary>
    public abstract string Describe();

    /// <summary>Further lines for the plan printer (e.g. the ADQL text).</summary>
    public virtual IEnumerable<string> Details() => [];

    /// <summary>When the step fails, let the run go on with the steps that do not need it.</summary>
    public virtual bool ContinueOnError => false;
}
