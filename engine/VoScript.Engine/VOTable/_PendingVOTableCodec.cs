// TEMPORARY: stands in for the VOTable codec being written on branch `votable`,
// so that the protocol clients compile before it is merged. Delete this file
// when merging `votable` (same public signatures as common.md lists).
using VoScript.Engine.Tables;

namespace VoScript.Engine.VOTable;

public static class VOTableReader
{
    public static Table Read(Stream stream, VOTableReadOptions? options = null) =>
        throw new NotSupportedException("the VOTable reader is not merged yet");

    public static Task<Table> ReadAsync(Stream stream, VOTableReadOptions? options, CancellationToken ct) =>
        throw new NotSupportedException("the VOTable reader is not merged yet");
}

public static class VOTableWriter
{
    public static void Write(Table table, Stream stream, VOTableWriteOptions? options = null) =>
        throw new NotSupportedException("the VOTable writer is not merged yet");
}
