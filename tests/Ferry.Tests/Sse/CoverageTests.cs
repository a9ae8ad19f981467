using Ferry.Interpreter;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Sse;

public sealed class CoverageTests
{
    /// <summary>Every legacy 64-bit-mode SSE, SSE2 and MMX form (and CLFLUSH) has semantics.</summary>
    [Fact]
    public void EverySseSse2MmxFormIsImplemented()
    {
        var missing = new List<Code>();
        foreach (var c in Enum.GetValues<Code>())
        {
            if (c.Encoding() != EncodingKind.Legacy || !c.ToOpCode().Mode64) continue;
            if (!c.CpuidFeatures().Any(f => f is CpuidFeature.SSE or CpuidFeature.SSE2 or CpuidFeature.MMX or CpuidFeature.CLFSH)) continue;
            if (!HandlerTable.IsImplemented(c)) missing.Add(c);
        }
        Assert.Empty(missing);
    }
}
