using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace MeshConf.Benchmarks;

/// <summary>
/// A column for a figure a benchmark stands for besides its time (bytes per frame, kbit/s): computed in the host
/// process from the benchmark case (method and parameters), since the measured process reports only times.
/// </summary>
internal sealed class FigureColumn(string name, string legend, Func<BenchmarkCase, string> figure) : IColumn
{
    public string Id => $"{nameof(FigureColumn)}.{name}";

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => figure(benchmarkCase);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => figure(benchmarkCase);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <summary>The value of a [Params] property of the case, as a string.</summary>
    public static string Parameter(BenchmarkCase benchmarkCase, string name) =>
        benchmarkCase.Parameters[name]?.ToString() ?? string.Empty;
}
