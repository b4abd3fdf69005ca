namespace VoScript.Engine.Model.Units;

/// <summary>Magnitude system of a band.</summary>
internal enum MagSystem
{
    Vega,
    AB,
}
