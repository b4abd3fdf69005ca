namespace VoScript.Dsl.Diagnostics;

/// <summary>Every diagnostic code, with its one-line meaning. <c>docs/errors.md</c> explains each with an example.</summary>
internal static class DiagnosticCodes
{
    // Syntax (VOS00xx)
    public const string Syntax = "VOS0001";
    public const string UnknownStatement = "VOS0002";
    public const string PlannedStatement = "VOS0003";
    public const string UnclosedBlock = "VOS0004";
    public const string UnterminatedString = "VOS0005";
    public const string UnknownUnit = "VOS0006";
    public const string ReservedWord = "VOS0007";

    // Names (VOS01xx)
    public const string UnknownValue = "VOS0101";
    public const string UnknownTable = "VOS0102";
    public const string UnknownService = "VOS0103";
    public const string DuplicateName = "VOS0104";
    public const string WrongKindOfName = "VOS0105";
    public const string UsedBeforeDefinition = "VOS0106";
    public const string UnknownParameter = "VOS0107";
    public const string UnknownColumn = "VOS0108";
    public const string ColumnClash = "VOS0109";

    // Values and units (VOS02xx)
    public const string UnitMismatch = "VOS0201";
    public const string ExpectedAngle = "VOS0202";
    public const string ExpectedDuration = "VOS0203";
    public const string TypeMismatch = "VOS0204";
    public const string BadParameterValue = "VOS0205";
    public const string BadNumber = "VOS0206";
    public const string ServiceMismatch = "VOS0207";
    public const string BadFileName = "VOS0208";
    public const string BadCondition = "VOS0209";

    // Awaits (VOS03xx)
    public const string NotAwaited = "VOS0301";
    public const string NotAsync = "VOS0302";
    public const string NeverAwaited = "VOS0303";
    public const string AwaitedTwice = "VOS0304";

    // SAMP (VOS05xx)
    public const string SendFormMismatch = "VOS0501";

    // C# blocks (VOS06xx); the C# compiler's own messages keep its codes (CS0103, …)
    public const string CSharpRefused = "VOS0601";
    public const string CSharpResult = "VOS0602";
    public const string CSharpFunction = "VOS0603";
    public const string CSharpRuntimeValue = "VOS0604";

    // Host steps (VOS07xx)
    public const string UnknownHostStep = "VOS0701";
    public const string BadHostArgument = "VOS0702";

    /// <summary>Code → meaning, in code order.</summary>
    public static IReadOnlyList<(string Code, string Meaning)> All { get; } =
    [
        (Syntax, "the text does not follow the grammar"),
        (UnknownStatement, "a line starts with a word that is not a statement"),
        (PlannedStatement, "a statement reserved for a later version"),
        (UnclosedBlock, "an ADQL block '{' without its '}'"),
        (UnterminatedString, "a string without its closing quote"),
        (UnknownUnit, "a number followed by a unit VoScript does not know"),
        (ReservedWord, "a reserved word used as a name"),
        (UnknownValue, "a value name that is not defined"),
        (UnknownTable, "a table name that is not defined"),
        (UnknownService, "a service name that is not defined"),
        (DuplicateName, "a name defined twice"),
        (WrongKindOfName, "a name of the wrong kind (a table where a service is needed, …)"),
        (UsedBeforeDefinition, "a name used on a line before the line that defines it"),
        (UnknownParameter, "--param names a parameter the script does not declare"),
        (UnknownColumn, "a column that a table made by sed or cluster does not have"),
        (ColumnClash, "a column name a verb would give twice (rename, derive, group)"),
        (UnitMismatch, "arithmetic mixing units that do not go together"),
        (ExpectedAngle, "a position or radius that is not an angle"),
        (ExpectedDuration, "a timeout that is not a duration"),
        (TypeMismatch, "a value of the wrong type (a string where a number is needed, …)"),
        (BadParameterValue, "--param value that cannot be used for that parameter"),
        (BadNumber, "a number out of range (negative maxrec, division by zero, …)"),
        (ServiceMismatch, "a statement used with the wrong kind of service"),
        (BadFileName, "a file name save cannot write by its extension, or a file name load cannot take"),
        (BadCondition, "a select condition or plot axis that does not fit the columns' types"),
        (NotAwaited, "an async result used before its await"),
        (NotAsync, "await on a name that is not an async result"),
        (NeverAwaited, "an async result that no await names (warning)"),
        (AwaitedTwice, "an async result awaited a second time (warning)"),
        (SendFormMismatch, "send … as spectra/image of a search result that holds something else (warning)"),
        (CSharpRefused, "a csharp block where the host turned C# off (--no-csharp)"),
        (CSharpResult, "'as NAME' on a csharp block whose result is nothing, or of a type VoScript cannot keep"),
        (CSharpFunction, "a condition calls a C# function that is not static or takes or returns other types than numbers, strings and bools"),
        (CSharpRuntimeValue, "a csharp block's value used where the value must be known before the run (let, ADQL, …)"),
        (UnknownHostStep, "run names a step kind the host did not register"),
        (BadHostArgument, "a run argument the host step does not take, of the wrong kind, or missing"),
    ];
}
