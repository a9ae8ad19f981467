using Ferry.Tests.Sse;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Avx;

[Collection("SseNative")]
public sealed class AvxMaskedTests
{
    private readonly Differential _d;
    public AvxMaskedTests(NativeFixture f) => _d = new Differential(f);

    public static TheoryData<string> Forms => AvxForms.Data(
        Mnemonic.Vblendvps, Mnemonic.Vblendvpd, Mnemonic.Vpblendvb,
        Mnemonic.Vmaskmovps, Mnemonic.Vmaskmovpd, Mnemonic.Vpmaskmovd, Mnemonic.Vpmaskmovq);

    [Theory, MemberData(nameof(Forms))]
    public void Select(string code)
    {
        var c = Enum.Parse<Code>(code);
        var n = c.Mnemonic();
        var lane = n is Mnemonic.Vblendvpd or Mnemonic.Vmaskmovpd or Mnemonic.Vpmaskmovq ? Lane.I64 : n == Mnemonic.Vpblendvb ? Lane.I8 : Lane.I32;
        _d.Check(new FormSpec(c) { Xmm = lane, FloatEnv = false, Iterations = 100 });
    }

    public static TheoryData<string> RoundForms => AvxForms.Data(Mnemonic.Vroundps, Mnemonic.Vroundpd, Mnemonic.Vroundss, Mnemonic.Vroundsd);

    [Theory, MemberData(nameof(RoundForms))]
    public void Round(string code)
    {
        var c = Enum.Parse<Code>(code);
        var lane = c.Mnemonic() is Mnemonic.Vroundps or Mnemonic.Vroundss ? Lane.F32Int : Lane.F64Int;
        _d.Check(new FormSpec(c) { Xmm = lane, Iterations = 300, Imm = Enumerable.Range(0, 16).Concat([0xF0, 0xFF]).ToArray() });
        _d.Check(new FormSpec(c) { Xmm = lane == Lane.F32Int ? Lane.F32 : Lane.F64, Iterations = 300, Imm = Enumerable.Range(0, 16).ToArray() }, seed: 1);
    }

    public static TheoryData<string> DotForms => AvxForms.Data(Mnemonic.Vdpps, Mnemonic.Vdppd);

    [Theory, MemberData(nameof(DotForms))]
    public void DotProduct(string code)
    {
        var c = Enum.Parse<Code>(code);
        _d.Check(new FormSpec(c) { Xmm = c.Mnemonic() == Mnemonic.Vdpps ? Lane.F32 : Lane.F64, Correlate = true, Iterations = 400 });
    }

    public static TheoryData<string> MxcsrForms => AvxForms.Data(Mnemonic.Vldmxcsr, Mnemonic.Vstmxcsr);

    [Theory, MemberData(nameof(MxcsrForms))]
    public void Mxcsr(string code) => _d.Check(new FormSpec(Enum.Parse<Code>(code)) { Src = Lane.Mxcsr, Iterations = 60 });
}
