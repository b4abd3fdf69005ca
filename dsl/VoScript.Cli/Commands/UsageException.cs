namespace VoScript.Cli.Commands;

/// <summary>The command line was wrong in a way the parser cannot see (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
