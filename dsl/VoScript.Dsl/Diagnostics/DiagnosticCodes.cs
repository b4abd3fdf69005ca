namespace VoScript.Dsl.Diagnostics;

/// <summary>Every diagnostic code, with its one-line meaning. <c>docs/errors.md</c> explains each with an example.</summary>
public static class DiagnosticCodes
{
    // Syntax (VOS00xx)
    /// <summary>Syntax error.</summary>
    public const string Syntax = "VOS0001";
    /// <summary>Unknown statement.</summary>
    public const string UnknownStatement = "VOS0002";
    /// <summary>A statement that is planned but not implemented.</summary>
    public const string PlannedStatement = "VOS0003";
    /// <summary>A block without its closing brace.</summary>
    public const string UnclosedBlock = "VOS0004";
    /// <summary>A string without its closing quote.</summary>
    public const string UnterminatedString = "VOS0005";
    /// <summary>Unknown unit.</summary>
    public const string UnknownUnit = "VOS0006";
    /// <summary>A reserved word used as a name.</summary>
    public const string ReservedWord = "VOS0007";

    // Names (VOS01xx)
    /// <summary>Unknown value name.</summary>
    public const string UnknownValue = "VOS0101";
    /// <summary>Unknown table name.</summary>
    public const string UnknownTable = "VOS0102";
    /// <summary>Unknown service name.</summary>
    public const string UnknownService = "VOS0103";
    /// <summary>A name defined twice.</summary>
    public const string DuplicateName = "VOS0104";
    /// <summary>A name of the wrong kind (a table where a value is needed, …).</summary>
    public const string WrongKindOfName = "VOS0105";
    /// <summary>A name used before its definition.</summary>
    public const string UsedBeforeDefinition = "VOS0106";
    /// <summary>A parameter the script does not declare.</summary>
    public const string UnknownParameter = "VOS0107";
    /// <summary>Unknown column.</summary>
    public const string UnknownColumn = "VOS0108";
    /// <summary>Two columns with one name.</summary>
    public const string ColumnClash = "VOS0109";

    // Values and units (VOS02xx)
    /// <summary>Units that do not fit.</summary>
    public const string UnitMismatch = "VOS0201";
    /// <summary>An angle was expected.</summary>
    public const string ExpectedAngle = "VOS0202";
    /// <summary>A duration was expected.</summary>
    public const string ExpectedDuration = "VOS0203";
    /// <summary>A value of the wrong type.</summary>
    public const string TypeMismatch = "VOS0204";
    /// <summary>A parameter value that does not parse.</summary>
    public const string BadParameterValue = "VOS0205";
    /// <summary>A bad number (count, limit).</summary>
    public const string BadNumber = "VOS0206";
    /// <summary>A service of the wrong protocol.</summary>
    public const string ServiceMismatch = "VOS0207";
    /// <summary>A bad file name or unknown extension.</summary>
    public const string BadFileName = "VOS0208";
    /// <summary>A bad condition.</summary>
    public const string BadCondition = "VOS0209";

    // Awaits (VOS03xx)
    /// <summary>An async result used before its await.</summary>
    public const string NotAwaited = "VOS0301";
    /// <summary>An await of something that is not async.</summary>
    public const string NotAsync = "VOS0302";
    /// <summary>An async query never awaited.</summary>
    public const string NeverAwaited = "VOS0303";
    /// <summary>An async query awaited twice.</summary>
    public const string AwaitedTwice = "VOS0304";

    // SAMP (VOS05xx)
    /// <summary>A send form that does not fit the table.</summary>
    public const string SendFormMismatch = "VOS0501";

    // C# blocks (VOS06xx); the C# compiler's own messages keep its codes (CS0103, …)
    /// <summary>C# refused (not allowed by the host).</summary>
    public const string CSharpRefused = "VOS0601";
    /// <summary>A C# block's result is not usable.</summary>
    public const string CSharpResult = "VOS0602";
    /// <summary>A bad C# function.</summary>
    public const string CSharpFunction = "VOS0603";
    /// <summary>A C# result known only at run time used where a constant is needed.</summary>
    public const string CSharpRuntimeValue = "VOS0604";
    /// <summary>C# blocks in a process compiled ahead of time (NativeAOT), which cannot load the compiled blocks.</summary>
    public const string CSharpNeedsJit = "VOS0605";

    // Host steps (VOS07xx)
    /// <summary>Unknown host step.</summary>
    public const string UnknownHostStep = "VOS0701";
    /// <summary>A bad argument to a host step.</summary>
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
        (CSharpNeedsJit, "a csharp block in a host compiled ahead of time (NativeAOT), which cannot run compiled C#"),
        (UnknownHostStep, "run names a step kind the host did not register"),
        (BadHostArgument, "a run argument the host step does not take, of the wrong kind, or missing"),
    ];
}
