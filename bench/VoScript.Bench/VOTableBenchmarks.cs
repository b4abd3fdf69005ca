using BenchmarkDotNet.Attributes;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;

namespace VoScript.Bench;

/// <summary>
/// Reader and writer throughput on the files of bench/scripts/gen_votables.py, held in
/// memory so that only decoding is measured. Set VOSCRIPT_BENCH_DATA to their folder.
/// </summary>
[MemoryDiagnoser]
public class VOTableBenchmarks
{
    private byte[] _bytes = [];
    private Table _table = null!;

    [Params(100000)]
    public int Rows { get; set; }

    [Params("tabledata", "binary", "binary2")]
    public string Serialization { get; set; } = "binary2";

    [GlobalSetup]
    public void Setup()
    {
        var dir = Environment.GetEnvironmentVariable("VOSCRIPT_BENCH_DATA") ?? "/var/tmp/voscript-bench";
        var path = Path.Combine(dir, $"cat_{Rows}_{Serialization}.vot");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: run /usr/bin/python3 bench/scripts/gen_votables.py {dir} {Rows}");
        _bytes = File.ReadAllBytes(path);
        _table = VOTableReader.Read(new MemoryStream(_bytes));
    }

    [Benchmark]
    public int Read() => VOTableReader.Read(new MemoryStream(_bytes, writable: false)).RowCount;

    [Benchmark]
    public long Write()
    {
        var ser = Serialization switch
        {
            "tabledata" => VOTableSerialization.TableData,
            "binary" => VOTableSerialization.Binary,
            _ => VOTableSerialization.Binary2,
        };
        using var sink = new CountingStream();
        VOTableWriter.Write(_table, sink, new VOTableWriteOptions { Serialization = ser });
        return sink.Length;
    }

    private sealed class CountingStream : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}
