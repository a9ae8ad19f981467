using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Sse;

/// <summary>SSE4.1 against the host CPU: integer arithmetic, extending moves, PTEST, blends, element
/// insert/extract, MPSADBW, PHMINPOSUW, MOVNTDQA, and the float DPPS/DPPD/ROUND* under random MXCSR.</summary>
[Collection("SseNative")]
public sealed class Sse41Tests
{
    private readonly Differential _d;
    public Sse41Tests(NativeFixture f) => _d = new Differential(f);

    private static TheoryData<string> Data(params Mnemonic[] m)
    {
        var d = new TheoryData<string>();
        foreach (var c in IntegerTests.FormsOf(m)) d.Add(c.ToString());
        return d;
    }

    private static Lane LaneOf(Code c) => c.Mnemonic() switch
    {
        Mnemonic.Pminsb or Mnemonic.Pmaxsb => Lane.I8,
        Mnemonic.Pminuw or Mnemonic.Pmaxuw or Mnemonic.Phminposuw or Mnemonic.Pblendw => Lane.I16,
        Mnemonic.Pminsd or Mnemonic.Pmaxsd or Mnemonic.Pminud or Mnemonic.Pmaxud or Mnemonic.Pmulld or Mnemonic.Packusdw => Lane.I32,
        Mnemonic.Pmuldq or Mnemonic.Pcmpeqq => Lane.I64,
        _ => Lane.Bytes,
    };

    public static TheoryData<string> Integer => Data(
        Mnemonic.Pminsb, Mnemonic.Pmaxsb, Mnemonic.Pminuw, Mnemonic.Pmaxuw, Mnemonic.Pminsd, Mnemonic.Pmaxsd, Mnemonic.Pminud, Mnemonic.Pmaxud,
        Mnemonic.Pmulld, Mnemonic.Pmuldq, Mnemonic.Pcmpeqq, Mnemonic.Packusdw, Mnemonic.Phminposuw,
        Mnemonic.Pmovsxbw, Mnemonic.Pmovsxbd, Mnemonic.Pmovsxbq, Mnemonic.Pmovsxwd, Mnemonic.Pmovsxwq, Mnemonic.Pmovsxdq,
        Mnemonic.Pmovzxbw, Mnemonic.Pmovzxbd, Mnemonic.Pmovzxbq, Mnemonic.Pmovzxwd, Mnemonic.Pmovzxwq, Mnemonic.Pmovzxdq,
        Mnemonic.Blendvps, Mnemonic.Blendvpd, Mnemonic.Pblendvb, Mnemonic.Movntdqa);

    [Theory, MemberData(nameof(Integer))]
    public void IntegerForms(string code)
    {
        var c = Enum.Parse<Code>(code);
        _d.Check(new FormSpec(c) { Xmm = LaneOf(c), FloatEnv = false, Iterations = 150 });
        _d.Check(new FormSpec(c) { FloatEnv = false, Iterations = 50 }, 1);
    }

    public static TheoryData<string> WithImmediate => Data(
        Mnemonic.Blendps, Mnemonic.Blendpd, Mnemonic.Pblendw, Mnemonic.Mpsadbw, Mnemonic.Insertps, Mnemonic.Extractps,
        Mnemonic.Pextrb, Mnemonic.Pextrd, Mnemonic.Pextrq, Mnemonic.Pinsrb, Mnemonic.Pinsrd, Mnemonic.Pinsrq);

    [Theory, MemberData(nameof(WithImmediate))]
    public void ImmediateForms(string code)
    {
        var c = Enum.Parse<Code>(code);
        _d.Check(new FormSpec(c) { Xmm = LaneOf(c), FloatEnv = false, Iterations = 300 });
    }

    /// <summary>PTEST with lanes that are often zero or all ones, so ZF and CF are both seen set and clear.</summary>
    [Fact]
    public void Ptest()
    {
        _d.Check(new FormSpec(Code.Ptest_xmm_xmmm128) { Xmm = Lane.I64, FloatEnv = false, Iterations = 400 });
        _d.Check(new FormSpec(Code.Ptest_xmm_xmmm128) { Xmm = Lane.I8, FloatEnv = false, Iterations = 100 }, 1);
    }

    [Theory]
    [InlineData(Code.Dpps_xmm_xmmm128_imm8, Lane.F32)]
    [InlineData(Code.Dpps_xmm_xmmm128_imm8, Lane.F32Edge)]
    [InlineData(Code.Dppd_xmm_xmmm128_imm8, Lane.F64)]
    [InlineData(Code.Dppd_xmm_xmmm128_imm8, Lane.F64Edge)]
    [InlineData(Code.Dpps_xmm_xmmm128_imm8, Lane.F32Special)]
    [InlineData(Code.Dppd_xmm_xmmm128_imm8, Lane.F64Special)]
    public void DotProduct(Code code, Lane lane)
    {
        _d.Check(new FormSpec(code) { Xmm = lane, Correlate = true, Iterations = 1500 });
        _d.Check(new FormSpec(code) { Xmm = lane, Correlate = true, PairLanes = true, Iterations = 800 }, 1);
    }

    [Theory]
    [InlineData(Code.Roundps_xmm_xmmm128_imm8, Lane.F32)]
    [InlineData(Code.Roundps_xmm_xmmm128_imm8, Lane.F32Int)]
    [InlineData(Code.Roundss_xmm_xmmm32_imm8, Lane.F32)]
    [InlineData(Code.Roundss_xmm_xmmm32_imm8, Lane.F32Int)]
    [InlineData(Code.Roundpd_xmm_xmmm128_imm8, Lane.F64)]
    [InlineData(Code.Roundpd_xmm_xmmm128_imm8, Lane.F64Int)]
    [InlineData(Code.Roundsd_xmm_xmmm64_imm8, Lane.F64)]
    [InlineData(Code.Roundsd_xmm_xmmm64_imm8, Lane.F64Int)]
    [InlineData(Code.Roundps_xmm_xmmm128_imm8, Lane.F32Special)]
    [InlineData(Code.Roundpd_xmm_xmmm128_imm8, Lane.F64Special)]
    public void Round(Code code, Lane lane)
    {
        // Every rounding-mode/MXCSR/precision-suppression combination, and reserved upper bits set.
        _d.Check(new FormSpec(code) { Xmm = lane, Imm = Enumerable.Range(0, 16).ToArray(), Iterations = 1200 });
        _d.Check(new FormSpec(code) { Xmm = lane, Iterations = 200 }, 1);
    }
}
