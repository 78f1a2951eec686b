using BenchmarkDotNet.Running;
using MeshConf.Benchmarks.Fidelity;

namespace MeshConf.Benchmarks;

internal static class Program
{
    /// <summary>
    /// BenchmarkDotNet's switcher, or <c>fidelity [--clips a,b] [--frames N] [--runs N] [--modes Mono,...]</c>: our
    /// pictures against chafa's (<see cref="FidelityComparison"/>).
    /// </summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "fidelity")
        {
            return FidelityComparison.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
