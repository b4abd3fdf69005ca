// Deliberately bad: the folders Alpha and Beta use each other (a cycle), Gamma only uses Alpha.
// ArchitectureRuleTests runs the folder rules on these namespaces and asserts that they fail.
namespace VoScript.Architecture.Tests.Fixtures.Cyclic.Alpha
{
    internal sealed class Source
    {
        public Beta.Sink? Next { get; set; }
    }
}

namespace VoScript.Architecture.Tests.Fixtures.Cyclic.Beta
{
    internal sealed class Sink
    {
        public static int Count(Alpha.Source s) => s.Next is null ? 0 : 1;
    }
}

namespace VoScript.Architecture.Tests.Fixtures.Cyclic.Gamma
{
    internal static class User
    {
        public static Alpha.Source Make() => new();
    }
}

// Well layered: Upper uses Lower, never the other way round.
namespace VoScript.Architecture.Tests.Fixtures.Layered.Lower
{
    internal sealed record Item(int Value);
}

namespace VoScript.Architecture.Tests.Fixtures.Layered.Upper
{
    internal static class Reader
    {
        public static int Read(Lower.Item i) => i.Value;
    }
}
