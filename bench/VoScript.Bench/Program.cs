using BenchmarkDotNet.Running;

namespace VoScript.Bench;

/// <summary>dotnet run -c Release --project bench/VoScript.Bench -- --filter '*'</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
