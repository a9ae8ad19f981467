using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Sse;

[Collection("SseNative")]
public sealed class FloatArithmeticTests
{
    private readonly Differential _d;
    public FloatArithmeticTests(NativeFixture f) => _d = new Differential(f);

    public static TheoryData<string> Packed32 => new() { "Addps_xmm_xmmm128", "Subps_xmm_xmmm128", "Mulps_xmm_xmmm128", "Divps_xmm_xmmm128", "Minps_xmm_xmmm128", "Maxps_xmm_xmmm128", "Sqrtps_xmm_xmmm128" };
    public static TheoryData<string> Packed64 => new() { "Addpd_xmm_xmmm128", "Subpd_xmm_xmmm128", "Mulpd_xmm_xmmm128", "Divpd_xmm_xmmm128", "Minpd_xmm_xmmm128", "Maxpd_xmm_xmmm128", "Sqrtpd_xmm_xmmm128" };
    public static TheoryData<string> Scalar32 => new() { "Addss_xmm_xmmm32", "Subss_xmm_xmmm32", "Mulss_xmm_xmmm32", "Divss_xmm_xmmm32", "Minss_xmm_xmmm32", "Maxss_xmm_xmmm32", "Sqrtss_xmm_xmmm32" };
    public static TheoryData<string> Scalar64 => new() { "Addsd_xmm_xmmm64", "Subsd_xmm_xmmm64", "Mulsd_xmm_xmmm64", "Divsd_xmm_xmmm64", "Minsd_xmm_xmmm64", "Maxsd_xmm_xmmm64", "Sqrtsd_xmm_xmmm64" };

    [Theory, MemberData(nameof(Packed32))]
    public void PackedSingle(string code) => _d.Check(new FormSpec(Enum.Parse<Code>(code)) { Xmm = Lane.F32, Correlate = true, Iterations = 1500 });

    [Theory, MemberData(nameof(Packed64))]
    public void PackedDouble(string code) => _d.Check(new FormSpec(Enum.Parse<Code>(code)) { Xmm = Lane.F64, Correlate = true, Iterations = 1500 });

    [Theory, MemberData(nameof(Scalar32))]
    public void ScalarSingle(string code) => _d.Check(new FormSpec(Enum.Parse<Code>(code)) { Xmm = Lane.F32, Correlate = true, Iterations = 1500 });

    [Theory, MemberData(nameof(Scalar64))]
    public void ScalarDouble(string code) => _d.Check(new FormSpec(Enum.Parse<Code>(code)) { Xmm = Lane.F64, Correlate = true, Iterations = 1500 });

    [Theory]
    [InlineData(Code.Mulss_xmm_xmmm32, Lane.F32Edge)]
    [InlineData(Code.Divss_xmm_xmmm32, Lane.F32Edge)]
    [InlineData(Code.Addss_xmm_xmmm32, Lane.F32Edge)]
    [InlineData(Code.Subss_xmm_xmmm32, Lane.F32Edge)]
    [InlineData(Code.Sqrtss_xmm_xmmm32, Lane.F32Edge)]
    [InlineData(Code.Mulsd_xmm_xmmm64, Lane.F64Edge)]
    [InlineData(Code.Divsd_xmm_xmmm64, Lane.F64Edge)]
    [InlineData(Code.Addsd_xmm_xmmm64, Lane.F64Edge)]
    [InlineData(Code.Subsd_xmm_xmmm64, Lane.F64Edge)]
    [InlineData(Code.Sqrtsd_xmm_xmmm64, Lane.F64Edge)]
    [InlineData(Code.Cvtsd2ss_xmm_xmmm64, Lane.F64Edge)]
    [InlineData(Code.Mulps_xmm_xmmm128, Lane.F32Edge)]
    [InlineData(Code.Divpd_xmm_xmmm128, Lane.F64Edge)]
    public void RangeBoundaries(Code code, Lane lane) =>
        _d.Check(new FormSpec(code) { Xmm = lane, Correlate = true, Iterations = 1500 });
}
