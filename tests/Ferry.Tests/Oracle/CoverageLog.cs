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
        var previous = Code.INVALID;
        while (decoder.IP < (ulong)code.Length)
        {
            decoder.Decode(out var ins);
            if (ins.Code != Code.INVALID) Verified.TryAdd(ins.Code, 0);
            // Iced decodes FINIT, FSTSW and the other waiting x87 forms as WAIT and then the no-wait form
            // (9B is an instruction of its own); the pair is exactly the waiting form's encoding.
            if (previous == Code.Wait && WaitingForm(ins.Code) is { } waiting) Verified.TryAdd(waiting, 0);
            previous = ins.Code;
        }
    }

    /// <summary>The encoder-only Iced code of WAIT followed by the no-wait x87 form <paramref name="noWait"/>
    /// (FNINIT → FINIT), or null.</summary>
    public static Code? WaitingForm(Code noWait)
    {
        var name = noWait.ToString();
        return name.StartsWith("Fn", StringComparison.Ordinal) && Enum.TryParse<Code>("F" + name[2..], out var w) && w != noWait ? w : null;
    }
}
