using VoScript.Engine;
using VoScript.Engine.Science.Selection;

namespace VoScript.Hosting;

/// <summary>A VO service the host provides under a name, so scripts and plans can use it without declaring it.</summary>
/// <param name="Name">The name scripts use (<c>query gaia …</c>); a script's own <c>service</c> statement of the same name wins.</param>
/// <param name="Protocol">What the service speaks.</param>
/// <param name="Url">Its base address (http or https).</param>
public sealed record HostService(string Name, ServiceProtocol Protocol, string Url);

/// <summary>What a host allows and provides: services, registry, limits. Immutable once the host is built.</summary>
public sealed record VoScriptHostOptions
{
    /// <summary>Named services every script and plan of this host can use.</summary>
    public IReadOnlyList<HostService> Services { get; init; } = [];

    /// <summary>The RegTAP registry <c>find services</c> searches when a script names none; null keeps the engine's default.</summary>
    public string? RegistryUrl { get; init; }

    /// <summary>The longest a run may take; when it passes the run is cancelled and its outcome is <see cref="RunOutcome.TimedOut"/>. Null: no limit.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// The most rows a table may have: queries and searches ask services for at most this many (MAXREC),
    /// and a step that puts a longer table into the workspace fails. Null: no limit.
    /// </summary>
    public long? MaxRows { get; init; }

    /// <summary>How many steps may run at the same time (at least 1).</summary>
    public int MaxParallelism { get; init; } = 4;

    /// <summary>Whether scripts may contain <c>csharp { … }</c> blocks (false refuses them at compile time).</summary>
    public bool AllowCSharp { get; init; }

    /// <summary>The limits of the table readers for the files load steps read (sizes, depth, rows, gzip ratio, hrefs); see <see cref="ReaderLimits"/>.</summary>
    public ReaderLimits ReaderLimits { get; init; } = ReaderLimits.Default;

    /// <summary>A service failure fails its step even where the script says <c>on error continue</c>.</summary>
    public bool Strict { get; init; }

    /// <summary>Errors of failed requests keep the start of the service's raw answer.</summary>
    public bool Verbose { get; init; }

    /// <summary>Leave remote async jobs on their servers when a run ends (they are deleted otherwise).</summary>
    public bool KeepJobs { get; init; }

    /// <summary>Where relative file paths of load and save steps are resolved; null means the process's current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// The host's question for <c>select T interactively</c>: called once per object, in order, on the thread
    /// running the step (one step at a time asks; the run waits for the answer), with the object's data to draw
    /// (<see cref="ObjectView"/>; <c>CharacterPlot</c> and <c>ObjectSummary</c> draw it with characters).
    /// Null when the host has no terminal or screen: the step then fails with <see cref="ObjectView.NoTerminalMessage"/>.
    /// An exception it throws fails the step (a <see cref="VoScriptException"/> with its message).
    /// </summary>
    public Func<ObjectView, Choice>? Ask { get; init; }
}
