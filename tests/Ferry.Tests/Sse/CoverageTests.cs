using Ferry.Interpreter;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Sse;

public sealed class CoverageTests
{
    /// <summary>Every legacy 64-bit-mode SSE, SSE2 and MMX form (and CLFLUSH) has semantics.</summary>
    [Fact]
    public void EverySseSse2MmxFormIsImplemented() =>
        Assert.Empty(Missing(CpuidFeature.SSE, CpuidFeature.SSE2, CpuidFeature.MMX, CpuidFeature.CLFSH));

    /// <summary>Every legacy 64-bit-mode form of the x86-64-v2 extensions has semantics: SSE3, SSSE3
    /// (MMX and XMM forms), SSE4.1, SSE4.2, POPCNT, CMPXCHG16B and LAHF/SAHF.</summary>
    [Fact]
    public void EveryV2FormIsImplemented() =>
        Assert.Empty(Missing(CpuidFeature.SSE3, CpuidFeature.SSSE3, CpuidFeature.SSE4_1, CpuidFeature.SSE4_2,
            CpuidFeature.POPCNT, CpuidFeature.CMPXCHG16B).Concat(new[] { Code.Lahf, Code.Sahf }.Where(c => !HandlerTable.IsImplemented(c))));

    /// <summary>Legacy 64-bit-mode forms that need any of <paramref name="features"/> and have no semantics.</summary>
    public static List<Code> Missing(params CpuidFeature[] features)
    {
        var missing = new List<Code>();
        foreach (var c in Enum.GetValues<Code>())
        {
            if (c.Encoding() != EncodingKind.Legacy || !c.ToOpCode().Mode64) continue;
            if (!c.CpuidFeatures().Any(f => Array.IndexOf(features, f) >= 0)) continue;
            if (!HandlerTable.IsImplemented(c)) missing.Add(c);
        }
        return missing;
    }
}
