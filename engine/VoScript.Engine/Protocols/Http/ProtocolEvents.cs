namespace VoScript.Engine.Protocols.Http;

/// <summary>Something a protocol client did or saw; hosts show these as progress.</summary>
public abstract record ProtocolEvent;

/// <summary>An HTTP request is about to be sent (once per attempt and per redirect hop).</summary>
internal sealed record RequestStarted(string Method, Uri Url) : ProtocolEvent;

/// <summary>Response headers arrived (or the request failed: <paramref name="Error"/>).</summary>
public sealed record RequestFinished(string Method, Uri Url, int? Status, TimeSpan Elapsed, string? Error = null) : ProtocolEvent;

/// <summary>A failed attempt will be repeated after <paramref name="Delay"/>.</summary>
public sealed record RetryScheduled(string Method, Uri Url, int Attempt, TimeSpan Delay, string Reason, bool FromRetryAfter) : ProtocolEvent;

/// <summary>Bytes of a response body read so far (sent every 256 KiB and at the end).</summary>
public sealed record BytesReceived(Uri Url, long Total, bool Complete) : ProtocolEvent;

/// <summary>Rows of a result table received.</summary>
internal sealed record RowsReceived(Uri Url, int Rows) : ProtocolEvent;

/// <summary>A UWS job was created on the service (before it is started).</summary>
public sealed record JobCreated(Uri JobUrl) : ProtocolEvent;

/// <summary>A UWS job changed phase (<paramref name="OldPhase"/> is null for the first phase seen).</summary>
public sealed record JobPhaseChanged(Uri JobUrl, string? OldPhase, string Phase) : ProtocolEvent;

/// <summary>A request written as an equivalent curl command (verbose mode; never with credentials).</summary>
public sealed record RequestLogged(string CurlCommand) : ProtocolEvent;

/// <summary>A remark worth showing: a poll failed and will be repeated, a job is being cleaned up, …</summary>
public sealed record ProtocolNotice(string Message) : ProtocolEvent;
