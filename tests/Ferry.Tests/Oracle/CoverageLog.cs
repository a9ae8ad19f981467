using System.Collections.Concurrent;
using Iced.Intel;

namespace Ferry.Tests.Oracle;

/// <summary>Records every instruction form that ran on the host CPU and under Ferry (interpreter or JIT) and
/// came out the same. When FERRY_COVERAGE_REPORT names a file (./test sets it for a whole-suite run),
/// the report of implemented and verified forms is written there as the test process ends.</summary>
public static class CoverageLog
{
    private static readonly ConcurrentDictionary<Code, byte> Verified = new();

    static CoverageLog()
    {
        var path = Environment.GetEnvironmentVariable("FERRY_COVERAGE_REPORT");
        if (!string.IsNullOrEmpty(path))
            AppDomain.CurrentDomain.ProcessExit += (_, _) => File.WriteAllText(path, CoverageReport.Render(Verified.Keys.ToHashSet()));
    }

    /// <summary>Marks every instruction of <paramref name="code"/> as verified against the host.</summary>
    public static void Passed(ReadOnlySpan<byte> code)
    {
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code.ToArray()));
        while (decoder.IP < (ulong)code.Length)
        {
            decoder.Decode(out var ins);
            if (ins.Code != Code.INVALID) Verified.TryAdd(ins.Code, 0);
        }
    }
}
