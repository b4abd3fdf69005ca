using NUnit.Framework;
using VoScript.Engine.Formats;
using VoScript.Engine.Formats.Streams;
using VoScript.Engine.Model;
using VoScript.Tests.Shared;

namespace VoScript.Engine.Tests.Interop;

/// <summary>
/// The quirk corpus (tests/dachs-rig/gen_quirks.py; radians, hours, arcmin, sexagesimal text, unlisted UCD1 words,
/// deprecated UCDs, mag(AB), microJansky, F_lambda in erg/s/cm2/A, -99.999/-999/-0.9999995e9 sentinels, "~"/"NaN"
/// text) read from VOTable files gives what the hand-written astropy reference (data/quirks/reference.py) gives.
/// The same tables through DaCHS: VoScript.Integration.Tests QuirkRigTests.
/// </summary>
public class QuirkCorpusTests
{
    private static readonly string Dir = QuirkCorpus.Directory(TestContext.CurrentContext.TestDirectory);

    [TestCaseSource(typeof(QuirkCorpus), nameof(QuirkCorpus.Tables))]
    public void EachQuirkyTableGivesTheReferencePositionsBandsAndFluxes(string name) =>
        QuirkCorpus.Check(name, TableFiles.Read(Path.Combine(Dir, name + ".vot")), QuirkCorpus.Reference(Dir));

    [Test]
    public void TheQuirkyTablesClusterIntoTheReferenceGroups()
    {
        var tables = new List<Table>();
        foreach (var name in QuirkCorpus.Tables)
        {
            var t = TableFiles.Read(Path.Combine(Dir, name + ".vot"));
            t.Name = name;
            VoScript.Engine.Science.Interop.Repairs.Apply(t);
            tables.Add(t);
        }
        QuirkCorpus.CheckGroups(tables, QuirkCorpus.Reference(Dir));
    }
}
