using VoScript.Cli.Commands;
using VoScript.Server.Tap;

namespace VoScript.Cli.Tests;

public class ServeCommandTests
{
    private static ServeCommand.ServeSettings Settings(string[] files, string[] tables, string schema = "data") =>
        new(files, tables, schema, null, null, 0, 10, 100, 1, 4);

    [Test]
    public void FilesAreNamedFromTheFileNameUnderTheSchema()
    {
        var files = ServeCommand.ResolveFiles(Settings(["dir/cat_a.vot", "2mass-psc.csv.gz"], [], "mine"));
        Assert.That(files, Is.EqualTo(new[] { new ServedFile("dir/cat_a.vot", "mine", "cat_a"), new ServedFile("2mass-psc.csv.gz", "mine", "t_2mass_psc") }));
    }

    [Test]
    public void TableOptionGivesSchemaAndName()
    {
        var files = ServeCommand.ResolveFiles(Settings([], ["x/cat_a.vot=cat_a.main", "b.vot=other"]));
        Assert.That(files, Is.EqualTo(new[] { new ServedFile("x/cat_a.vot", "cat_a", "main"), new ServedFile("b.vot", "data", "other") }));
    }

    [Test]
    public void TableOptionWithoutNameIsAUsageError()
    {
        Assert.That(() => ServeCommand.ResolveFiles(Settings([], ["cat_a.vot"])),
            Throws.TypeOf<UsageException>().With.Message.EqualTo("--table 'cat_a.vot': expected FILE=SCHEMA.NAME or FILE=NAME"));
    }

    [TestCase(new[] { "serve" }, "voscript: nothing to serve: give one or more table files (or --table, --obscore)")]
    [TestCase(new[] { "serve", "--host", "not an address", "x.vot" }, "voscript: --host not an address: give an IP address of this machine, e.g. 0.0.0.0 for every interface")]
    [TestCase(new[] { "serve", "--schema", "TAP_SCHEMA", "scripts/data/sample.vot" }, "voscript: scripts/data/sample.vot: schema TAP_SCHEMA is reserved by TAP; choose another with --schema")]
    [TestCase(new[] { "serve", "scripts/data/sample.vot", "--table", "scripts/data/sample.vot=sample" }, "voscript: scripts/data/sample.vot and scripts/data/sample.vot would both be served as data.sample; give one another name with --table FILE=SCHEMA.NAME")]
    [TestCase(new[] { "serve", "--max-jobs", "0", "scripts/data/sample.vot" }, "voscript: --max-jobs 0: out of range; give a whole number of jobs from 1 to 4096\nRun 'voscript serve --help' for usage.")]
    public void BadArgumentsExitTwoWithAMessage(string[] args, string message)
    {
        var r = Repo.Run(args);
        Assert.That((r.ExitCode, r.Out, r.Err.Trim()), Is.EqualTo((2, "", message)));
    }
}
