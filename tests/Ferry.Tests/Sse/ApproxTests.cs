using System.Runtime.Intrinsics;
using X86Sse = System.Runtime.Intrinsics.X86.Sse;
using Ferry.Interpreter;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Sse;

[Collection("SseNative")]
public sealed class ApproxTests
{
    private readonly Differential _d;
    public ApproxTests(NativeFixture f) => _d = new Differential(f);

    [Theory]
    [InlineData(Code.Rcpps_xmm_xmmm128)]
    [InlineData(Code.Rcpss_xmm_xmmm32)]
    [InlineData(Code.Rsqrtps_xmm_xmmm128)]
    [InlineData(Code.Rsqrtss_xmm_xmmm32)]
    public void Form(Code code) => _d.Check(new FormSpec(code) { Xmm = Lane.F32, Iterations = 600 });

    /// <summary>Every table entry at every exponent, against the host's RCPSS/RSQRTSS (default MXCSR).</summary>
    [Fact]
    public void TablesMatchHost()
    {
        if (!X86Sse.IsSupported) return;
        var r = new Random(7);
        int bad = 0;
        string first = "";
        for (uint e = 0; e < 256; e++)
            for (uint top = 0; top < 4096; top += e is 0 or 1 or 126 or 127 or 252 or 253 or 254 or 255 ? 1u : 7u)
                for (uint s = 0; s < 2; s++)
                {
                    uint x = (s << 31) | (e << 23) | (top << 11) | ((uint)r.Next() & 0x7FF);
                    var v = Vector128.CreateScalar(BitConverter.UInt32BitsToSingle(x));
                    uint rcp = X86Sse.Reciprocal(v).AsUInt32().ToScalar(), rsq = X86Sse.ReciprocalSqrt(v).AsUInt32().ToScalar();
                    uint er = SseApprox.RcpF32(x), eq = SseApprox.RsqrtF32(x);
                    if (rcp != er || rsq != eq) { if (bad++ == 0) first = $"x={x:x8}: rcp host {rcp:x8} emu {er:x8}, rsqrt host {rsq:x8} emu {eq:x8}"; }
                }
        Assert.True(bad == 0, $"{bad} mismatches, first {first}");
    }
}
