using VoScript.Dsl.Compiling;
using VoScript.Dsl.Parsing;

namespace VoScript.Dsl.Tests;

/// <summary>Every module class of the language declares itself (<see cref="LanguageModuleAttribute"/>), once.</summary>
public class LanguageModulesTests
{
    [Test]
    public void EveryModuleClassDeclaresItselfOnce()
    {
        var moduleTypes = typeof(LanguageModules).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false }
                        && (typeof(IGrammarModule).IsAssignableFrom(t) || typeof(ILanguageModule).IsAssignableFrom(t)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal).ToList();
        var listed = LanguageModules.All.Select(m => m.GetType()).OrderBy(t => t.FullName, StringComparer.Ordinal).ToList();
        Assert.That(listed, Is.EqualTo(moduleTypes), "declare the missing module with [assembly: LanguageModule(typeof(…))] in its file (or remove the second declaration)");
    }

    [Test]
    public void AStatementParserMadeOnFirstUseParsesEveryStatementOfItsWord()
    {
        var parser = Grammar.Statements["load"];
        var first = parser(new Sprache.Input("load \"a.vot\" as a"));
        var second = parser(new Sprache.Input("load \"b.vot\" as b"));
        Assert.That(first.WasSuccessful && second.WasSuccessful, Is.True);
        Assert.That(((VoScript.Dsl.Syntax.LoadStatement)second.Value).Output.Text, Is.EqualTo("b"));
    }
}
