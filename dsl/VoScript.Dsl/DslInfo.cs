namespace VoScript.Dsl;

internal static class DslInfo
{
    public const string FileExtension = ".vos";
}
