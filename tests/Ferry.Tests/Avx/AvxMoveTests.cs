using Ferry.Tests.Sse;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Avx;

[Collection("SseNative")]
public sealed class AvxMoveTests
{
    private readonly Differential _d;
    public AvxMoveTests(NativeFixture f) => _d = new Differential(f);

    public static TheoryData<string> Moves => AvxForms.Data(
        Mnemonic.Vmovups, Mnemonic.Vmovupd, Mnemonic.Vmovdqu, Mnemonic.Vmovaps, Mnemonic.Vmovapd, Mnemonic.Vmovdqa,
        Mnemonic.Vmovntps, Mnemonic.Vmovntpd, Mnemonic.Vmovntdq, Mnemonic.Vmovntdqa, Mnemonic.Vlddqu,
        Mnemonic.Vmovss, Mnemonic.Vmovsd, Mnemonic.Vmovd, Mnemonic.Vmovq, Mnemonic.Vmovlps, Mnemonic.Vmovhps, Mnemonic.Vmovlpd, Mnemonic.Vmovhpd,
        Mnemonic.Vmovhlps, Mnemonic.Vmovlhps, Mnemonic.Vmovddup, Mnemonic.Vmovshdup, Mnemonic.Vmovsldup,
        Mnemonic.Vmovmskps, Mnemonic.Vmovmskpd, Mnemonic.Vpmovmskb, Mnemonic.Vptest, Mnemonic.Vtestps, Mnemonic.Vtestpd,
        Mnemonic.Vzeroupper, Mnemonic.Vzeroall, Mnemonic.Vmaskmovdqu);

    [Theory, MemberData(nameof(Moves))]
    public void Move(string code)
    {
        var c = Enum.Parse<Code>(code);
        var lane = c.Mnemonic() is Mnemonic.Vptest or Mnemonic.Vtestps or Mnemonic.Vtestpd ? Lane.Sparse : Lane.Bytes;
        // VPTEST is mostly interesting when the operands are related (ZF/CF set).
        _d.Check(new FormSpec(c) { Xmm = lane, FloatEnv = false, Iterations = 80, Correlate = c.Mnemonic() is Mnemonic.Vptest or Mnemonic.Vtestps or Mnemonic.Vtestpd });
    }
}
