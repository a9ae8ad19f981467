using Ferry.Tests.Sse;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Avx;

[Collection("SseNative")]
public sealed class F16cTests
{
    private readonly Differential _d;
    public F16cTests(NativeFixture f) => _d = new Differential(f);

    public static TheoryData<string> Forms => AvxForms.Data(Mnemonic.Vcvtph2ps, Mnemonic.Vcvtps2ph);

    [Theory, MemberData(nameof(Forms))]
    public void Convert(string code)
    {
        var c = Enum.Parse<Code>(code);
        var lane = c.Mnemonic() == Mnemonic.Vcvtph2ps ? Lane.I16 : Lane.F32;
        _d.Check(new FormSpec(c) { Xmm = lane, Iterations = 500, Imm = [0, 1, 2, 3, 4, 5, 7, 8, 0xF8, 0xFF] });
        _d.Check(new FormSpec(c) { Xmm = Lane.Bytes, Iterations = 300, Imm = [0, 1, 2, 3, 4] }, seed: 1);
    }

    /// <summary>Binary32 values near the binary16 range limits (65504, 2^-14, 2^-24) in every rounding mode.</summary>
    [Theory, MemberData(nameof(Forms))]
    public void HalfRangeBoundaries(string code)
    {
        var c = Enum.Parse<Code>(code);
        if (c.Mnemonic() != Mnemonic.Vcvtps2ph) return;
        _d.Check(new FormSpec(c) { Xmm = Lane.F32Half, Iterations = 500, Imm = [0, 1, 2, 3, 4] });
    }
}
