global using NUnit.Framework;
global using VoScript.Hosting;
