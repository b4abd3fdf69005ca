using NUnit.Framework;
using VoScript.Engine.Model.Ucds;
using VoScript.Engine.Science.Interop;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Protocols.Tap;
using VoScript.Engine.Model;
using VoScript.Integration.Tests.Language;
using VoScript.Tests.Shared;

namespace VoScript.Integration.Tests.Protocols;

/// <summary>
/// The quirk corpus of issue #18 as the DaCHS rig serves it (schema <c>quirks</c>, tests/dachs-rig/inputs/quirks/q.rd):
/// the same positions, bands, systems, fluxes and groups as the hand-written astropy reference, and as the files
/// (VoScript.Engine.Tests QuirkCorpusTests).
/// </summary>
[Category("Integration")]
[NonParallelizable]
public class QuirkRigTests
{
    private static readonly string Dir = QuirkCorpus.Directory(TestContext.CurrentContext.TestDirectory);

    private static async Task<Table> Fetch(VoHttpClient http, string name)
    {
        var tap = new TapService(DachsRig.TapUrl, http);
        var r = await tap.QueryAsync(new TapQuery($"SELECT * FROM quirks.{name} ORDER BY 1"));
        r.Table.Name = name;
        return r.Table;
    }

    [TestCaseSource(typeof(QuirkCorpus), nameof(QuirkCorpus.Tables))]
    public async Task EachQuirkyTableThroughDachsGivesTheReference(string name)
    {
        DachsRig.RequireUp();
        using var http = new VoHttpClient();
        QuirkCorpus.Check(name, await Fetch(http, name), QuirkCorpus.Reference(Dir));
    }

    [Test]
    public async Task TheQuirkyTablesThroughDachsClusterIntoTheReferenceGroups()
    {
        DachsRig.RequireUp();
        using var http = new VoHttpClient();
        var tables = new List<Table>();
        foreach (var name in QuirkCorpus.Tables)
        {
            var t = await Fetch(http, name);
            Repairs.Apply(t);
            tables.Add(t);
        }
        QuirkCorpus.CheckGroups(tables, QuirkCorpus.Reference(Dir));
    }

    [Test]
    public async Task LintListsTheRigsUcdsAndUnitsItHadToTranslate()
    {
        DachsRig.RequireUp();
        using var http = new VoHttpClient();
        var findings = await new TapLint(new TapService(DachsRig.TapUrl, http)).RunAsync();
        var lines = findings.Select(f => f.ToString()).ToList();
        Assert.That(lines, Has.Some.StartsWith("I-UCD-02 cat_c.main.objid: UCD 'ID_MAIN' is read as meta.id;meta.main"), string.Join("\n", lines));
        Assert.That(lines, Has.Some.Matches(@"^I-UNI-02 cat_b\.main\.hmag: unit 'mags' is not a VOUnit; read as mag"));
        Assert.That(lines, Has.Some.StartsWith("I-UCD-03 UCDs: "));
        Assert.That(findings.Where(f => f.Code is "W-UCD-01" or "W-UNI-01" && f.Message.StartsWith("cat_", StringComparison.Ordinal)), Is.Empty,
            "every UCD and unit of the rig's catalogues is understood");
    }
}
