global using NUnit.Framework;
global using VoScript.Hosting;
global using VoScript.Engine;
