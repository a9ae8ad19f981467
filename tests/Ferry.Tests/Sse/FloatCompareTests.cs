using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Sse;

[Collection("SseNative")]
public sealed class FloatCompareTests
{
    private readonly Differential _d;
    public FloatCompareTests(NativeFixture f) => _d = new Differential(f);

    [Theory]
    [InlineData(Code.Cmpps_xmm_xmmm128_imm8, Lane.F32)]
    [InlineData(Code.Cmppd_xmm_xmmm128_imm8, Lane.F64)]
    [InlineData(Code.Cmpss_xmm_xmmm32_imm8, Lane.F32)]
    [InlineData(Code.Cmpsd_xmm_xmmm64_imm8, Lane.F64)]
    public void Compare(Code code, Lane lane) =>
        _d.Check(new FormSpec(code) { Xmm = lane, Correlate = true, Iterations = 1200, Imm = [0, 1, 2, 3, 4, 5, 6, 7, 0x0F, 0x80, 0xFD] });

    [Theory]
    [InlineData(Code.Comiss_xmm_xmmm32, Lane.F32)]
    [InlineData(Code.Ucomiss_xmm_xmmm32, Lane.F32)]
    [InlineData(Code.Comisd_xmm_xmmm64, Lane.F64)]
    [InlineData(Code.Ucomisd_xmm_xmmm64, Lane.F64)]
    public void OrderedCompare(Code code, Lane lane) =>
        _d.Check(new FormSpec(code) { Xmm = lane, Correlate = true, Iterations = 800 });

    [Theory]
    [InlineData(Code.Andps_xmm_xmmm128)]
    [InlineData(Code.Andpd_xmm_xmmm128)]
    [InlineData(Code.Andnps_xmm_xmmm128)]
    [InlineData(Code.Andnpd_xmm_xmmm128)]
    [InlineData(Code.Orps_xmm_xmmm128)]
    [InlineData(Code.Orpd_xmm_xmmm128)]
    [InlineData(Code.Xorps_xmm_xmmm128)]
    [InlineData(Code.Xorpd_xmm_xmmm128)]
    public void Logic(Code code) => _d.Check(new FormSpec(code) { Iterations = 60 });
}
