global using NUnit.Framework;
global using VoScript.Adql;
