using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Sse;

[Collection("SseNative")]
public sealed class ConvertTests
{
    private readonly Differential _d;
    public ConvertTests(NativeFixture f) => _d = new Differential(f);

    [Theory]
    [InlineData(Code.Cvtsi2ss_xmm_rm32, Lane.I32Cvt)]
    [InlineData(Code.Cvtsi2ss_xmm_rm64, Lane.I64Cvt)]
    [InlineData(Code.Cvtsi2sd_xmm_rm32, Lane.I32Cvt)]
    [InlineData(Code.Cvtsi2sd_xmm_rm64, Lane.I64Cvt)]
    public void IntToScalar(Code code, Lane gpr) =>
        _d.Check(new FormSpec(code) { Xmm = Lane.F32, Gpr = gpr, Iterations = 800 });

    [Theory]
    [InlineData(Code.Cvtss2si_r32_xmmm32, Lane.F32Int)]
    [InlineData(Code.Cvtss2si_r64_xmmm32, Lane.F32Int)]
    [InlineData(Code.Cvttss2si_r32_xmmm32, Lane.F32Int)]
    [InlineData(Code.Cvttss2si_r64_xmmm32, Lane.F32Int)]
    [InlineData(Code.Cvtsd2si_r32_xmmm64, Lane.F64Int)]
    [InlineData(Code.Cvtsd2si_r64_xmmm64, Lane.F64Int)]
    [InlineData(Code.Cvttsd2si_r32_xmmm64, Lane.F64Int)]
    [InlineData(Code.Cvttsd2si_r64_xmmm64, Lane.F64Int)]
    public void ScalarToInt(Code code, Lane lane) =>
        _d.Check(new FormSpec(code) { Xmm = lane, Iterations = 1000 });

    [Theory]
    [InlineData(Code.Cvtss2sd_xmm_xmmm32, Lane.F32)]
    [InlineData(Code.Cvtsd2ss_xmm_xmmm64, Lane.F64)]
    [InlineData(Code.Cvtps2pd_xmm_xmmm64, Lane.F32)]
    [InlineData(Code.Cvtpd2ps_xmm_xmmm128, Lane.F64)]
    [InlineData(Code.Cvtdq2ps_xmm_xmmm128, Lane.I32Cvt)]
    [InlineData(Code.Cvtps2dq_xmm_xmmm128, Lane.F32Int)]
    [InlineData(Code.Cvttps2dq_xmm_xmmm128, Lane.F32Int)]
    [InlineData(Code.Cvtdq2pd_xmm_xmmm64, Lane.I32)]
    [InlineData(Code.Cvtpd2dq_xmm_xmmm128, Lane.F64Int)]
    [InlineData(Code.Cvttpd2dq_xmm_xmmm128, Lane.F64Int)]
    [InlineData(Code.Cvtps2pi_mm_xmmm64, Lane.F32Int)]
    [InlineData(Code.Cvttps2pi_mm_xmmm64, Lane.F32Int)]
    [InlineData(Code.Cvtpd2pi_mm_xmmm128, Lane.F64Int)]
    [InlineData(Code.Cvttpd2pi_mm_xmmm128, Lane.F64Int)]
    public void Vector(Code code, Lane lane) =>
        _d.Check(new FormSpec(code) { Xmm = lane, Iterations = 800 });

    [Theory]
    [InlineData(Code.Cvtpi2ps_xmm_mmm64)]
    [InlineData(Code.Cvtpi2pd_xmm_mmm64)]
    public void FromMmx(Code code) =>
        _d.Check(new FormSpec(code) { Xmm = Lane.F32, Mm = Lane.I32Cvt, Iterations = 800 });
}
