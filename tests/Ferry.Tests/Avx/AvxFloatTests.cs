using Ferry.Tests.Sse;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Avx;

/// <summary>VEX float arithmetic, compares and conversions against the host CPU, with random MXCSR
/// (rounding, DAZ, FTZ, sticky flags) and NaN/denormal/infinity/±0-heavy operands.</summary>
[Collection("SseNative")]
public sealed class AvxFloatTests
{
    private readonly Differential _d;
    public AvxFloatTests(NativeFixture f) => _d = new Differential(f);

    private static Lane FloatLane(Code c)
    {
        var n = c.Mnemonic().ToString();
        return n.EndsWith("ps") || n.EndsWith("ss") ? Lane.F32 : Lane.F64;
    }

    public static TheoryData<string> Arithmetic => AvxForms.Data(
        Mnemonic.Vaddps, Mnemonic.Vsubps, Mnemonic.Vmulps, Mnemonic.Vdivps, Mnemonic.Vminps, Mnemonic.Vmaxps, Mnemonic.Vsqrtps,
        Mnemonic.Vaddpd, Mnemonic.Vsubpd, Mnemonic.Vmulpd, Mnemonic.Vdivpd, Mnemonic.Vminpd, Mnemonic.Vmaxpd, Mnemonic.Vsqrtpd,
        Mnemonic.Vaddss, Mnemonic.Vsubss, Mnemonic.Vmulss, Mnemonic.Vdivss, Mnemonic.Vminss, Mnemonic.Vmaxss, Mnemonic.Vsqrtss,
        Mnemonic.Vaddsd, Mnemonic.Vsubsd, Mnemonic.Vmulsd, Mnemonic.Vdivsd, Mnemonic.Vminsd, Mnemonic.Vmaxsd, Mnemonic.Vsqrtsd,
        Mnemonic.Vaddsubps, Mnemonic.Vaddsubpd, Mnemonic.Vhaddps, Mnemonic.Vhaddpd, Mnemonic.Vhsubps, Mnemonic.Vhsubpd,
        Mnemonic.Vrcpps, Mnemonic.Vrsqrtps, Mnemonic.Vrcpss, Mnemonic.Vrsqrtss);

    [Theory, MemberData(nameof(Arithmetic))]
    public void Arith(string code)
    {
        var c = Enum.Parse<Code>(code);
        _d.Check(new FormSpec(c) { Xmm = FloatLane(c), Correlate = true, Iterations = 400 });
    }

    [Theory, MemberData(nameof(Arithmetic))]
    public void RangeBoundaries(string code)
    {
        var c = Enum.Parse<Code>(code);
        _d.Check(new FormSpec(c) { Xmm = FloatLane(c) == Lane.F32 ? Lane.F32Edge : Lane.F64Edge, Correlate = true, Iterations = 150 });
    }

    public static TheoryData<string> Compares => AvxForms.Data(Mnemonic.Vcmpps, Mnemonic.Vcmppd, Mnemonic.Vcmpss, Mnemonic.Vcmpsd);

    /// <summary>All 32 predicates (and immediates with the ignored bits 7:5 set).</summary>
    [Theory, MemberData(nameof(Compares))]
    public void Compare(string code)
    {
        var c = Enum.Parse<Code>(code);
        var imms = Enumerable.Range(0, 32).Concat([0x20, 0x3F, 0xE5, 0xFF]).ToArray();
        _d.Check(new FormSpec(c) { Xmm = FloatLane(c), Correlate = true, Iterations = 700, Imm = imms });
    }

    public static TheoryData<string> Comis => AvxForms.Data(Mnemonic.Vcomiss, Mnemonic.Vucomiss, Mnemonic.Vcomisd, Mnemonic.Vucomisd);

    [Theory, MemberData(nameof(Comis))]
    public void OrderedCompare(string code)
    {
        var c = Enum.Parse<Code>(code);
        _d.Check(new FormSpec(c) { Xmm = FloatLane(c), Correlate = true, Iterations = 400 });
    }

    public static TheoryData<string> Conversions => AvxForms.Data(
        Mnemonic.Vcvtss2sd, Mnemonic.Vcvtsd2ss, Mnemonic.Vcvtps2pd, Mnemonic.Vcvtpd2ps, Mnemonic.Vcvtdq2ps, Mnemonic.Vcvtps2dq,
        Mnemonic.Vcvttps2dq, Mnemonic.Vcvtdq2pd, Mnemonic.Vcvtpd2dq, Mnemonic.Vcvttpd2dq,
        Mnemonic.Vcvtss2si, Mnemonic.Vcvttss2si, Mnemonic.Vcvtsd2si, Mnemonic.Vcvttsd2si, Mnemonic.Vcvtsi2ss, Mnemonic.Vcvtsi2sd);

    [Theory, MemberData(nameof(Conversions))]
    public void Convert(string code)
    {
        var c = Enum.Parse<Code>(code);
        var n = c.Mnemonic();
        Lane lane = n switch
        {
            Mnemonic.Vcvtdq2ps => Lane.I32Cvt,
            Mnemonic.Vcvtdq2pd => Lane.I32,
            Mnemonic.Vcvtps2dq or Mnemonic.Vcvttps2dq or Mnemonic.Vcvtss2si or Mnemonic.Vcvttss2si => Lane.F32Int,
            Mnemonic.Vcvtpd2dq or Mnemonic.Vcvttpd2dq or Mnemonic.Vcvtsd2si or Mnemonic.Vcvttsd2si => Lane.F64Int,
            Mnemonic.Vcvtss2sd or Mnemonic.Vcvtps2pd => Lane.F32,
            _ => Lane.F64,
        };
        var gpr = c.ToString().Contains("rm64") ? Lane.I64Cvt : Lane.I32Cvt;
        _d.Check(new FormSpec(c) { Xmm = lane, Gpr = gpr, Iterations = 400 });
    }
}
