using Ferry.Tests.Sse;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Avx;

/// <summary>VEX integer forms against the host CPU, with random YMM upper halves so that VEX.128's
/// zeroing and the 256-bit upper lanes are checked.</summary>
[Collection("SseNative")]
public sealed class AvxIntegerTests
{
    private readonly Differential _d;
    public AvxIntegerTests(NativeFixture f) => _d = new Differential(f);

    public static TheoryData<string> Arithmetic => AvxForms.Data(
        Mnemonic.Vpaddb, Mnemonic.Vpaddw, Mnemonic.Vpaddd, Mnemonic.Vpaddq, Mnemonic.Vpsubb, Mnemonic.Vpsubw, Mnemonic.Vpsubd, Mnemonic.Vpsubq,
        Mnemonic.Vpaddsb, Mnemonic.Vpaddsw, Mnemonic.Vpaddusb, Mnemonic.Vpaddusw, Mnemonic.Vpsubsb, Mnemonic.Vpsubsw, Mnemonic.Vpsubusb, Mnemonic.Vpsubusw,
        Mnemonic.Vpmullw, Mnemonic.Vpmulhw, Mnemonic.Vpmulhuw, Mnemonic.Vpmuludq, Mnemonic.Vpmaddwd, Mnemonic.Vpavgb, Mnemonic.Vpavgw,
        Mnemonic.Vpminub, Mnemonic.Vpmaxub, Mnemonic.Vpminsw, Mnemonic.Vpmaxsw, Mnemonic.Vpsadbw,
        Mnemonic.Vpcmpeqb, Mnemonic.Vpcmpeqw, Mnemonic.Vpcmpeqd, Mnemonic.Vpcmpgtb, Mnemonic.Vpcmpgtw, Mnemonic.Vpcmpgtd,
        Mnemonic.Vpand, Mnemonic.Vpandn, Mnemonic.Vpor, Mnemonic.Vpxor,
        Mnemonic.Vandps, Mnemonic.Vandpd, Mnemonic.Vandnps, Mnemonic.Vandnpd, Mnemonic.Vorps, Mnemonic.Vorpd, Mnemonic.Vxorps, Mnemonic.Vxorpd,
        Mnemonic.Vpshufb, Mnemonic.Vpsignb, Mnemonic.Vpsignw, Mnemonic.Vpsignd, Mnemonic.Vphaddw, Mnemonic.Vphaddd, Mnemonic.Vphaddsw,
        Mnemonic.Vphsubw, Mnemonic.Vphsubd, Mnemonic.Vphsubsw, Mnemonic.Vpmaddubsw, Mnemonic.Vpmulhrsw,
        Mnemonic.Vpminsb, Mnemonic.Vpmaxsb, Mnemonic.Vpminuw, Mnemonic.Vpmaxuw, Mnemonic.Vpminsd, Mnemonic.Vpmaxsd, Mnemonic.Vpminud, Mnemonic.Vpmaxud,
        Mnemonic.Vpcmpeqq, Mnemonic.Vpcmpgtq, Mnemonic.Vpmulld, Mnemonic.Vpmuldq, Mnemonic.Vpackusdw,
        Mnemonic.Vpacksswb, Mnemonic.Vpackuswb, Mnemonic.Vpackssdw,
        Mnemonic.Vpunpcklbw, Mnemonic.Vpunpcklwd, Mnemonic.Vpunpckldq, Mnemonic.Vpunpcklqdq,
        Mnemonic.Vpunpckhbw, Mnemonic.Vpunpckhwd, Mnemonic.Vpunpckhdq, Mnemonic.Vpunpckhqdq,
        Mnemonic.Vunpcklps, Mnemonic.Vunpckhps, Mnemonic.Vunpcklpd, Mnemonic.Vunpckhpd,
        Mnemonic.Vpabsb, Mnemonic.Vpabsw, Mnemonic.Vpabsd);

    [Theory, MemberData(nameof(Arithmetic))]
    public void Arith(string code)
    {
        var c = Enum.Parse<Code>(code);
        var lane = c.Mnemonic() is Mnemonic.Vpacksswb or Mnemonic.Vpackuswb ? Lane.I16
            : c.Mnemonic() is Mnemonic.Vpackssdw or Mnemonic.Vpackusdw ? Lane.I32 : AvxForms.IntLane(c);
        _d.Check(new FormSpec(c) { Xmm = lane, FloatEnv = false, Iterations = 60 });
    }

    public static TheoryData<string> WithImmediate => AvxForms.Data(
        Mnemonic.Vpalignr, Mnemonic.Vpblendw, Mnemonic.Vblendps, Mnemonic.Vblendpd, Mnemonic.Vpblendd, Mnemonic.Vshufps, Mnemonic.Vshufpd,
        Mnemonic.Vmpsadbw, Mnemonic.Vpshufd, Mnemonic.Vpshuflw, Mnemonic.Vpshufhw, Mnemonic.Vpermq, Mnemonic.Vpermpd,
        Mnemonic.Vperm2f128, Mnemonic.Vperm2i128, Mnemonic.Vinsertf128, Mnemonic.Vinserti128, Mnemonic.Vextractf128, Mnemonic.Vextracti128,
        Mnemonic.Vpextrb, Mnemonic.Vpextrw, Mnemonic.Vpextrd, Mnemonic.Vpextrq, Mnemonic.Vextractps,
        Mnemonic.Vpinsrb, Mnemonic.Vpinsrw, Mnemonic.Vpinsrd, Mnemonic.Vpinsrq, Mnemonic.Vinsertps);

    [Theory, MemberData(nameof(WithImmediate))]
    public void Immediate(string code)
    {
        var c = Enum.Parse<Code>(code);
        _d.Check(new FormSpec(c) { Xmm = AvxForms.IntLane(c), FloatEnv = false, Iterations = 60 });
    }

    public static TheoryData<string> Shifts => AvxForms.Data(
        Mnemonic.Vpsllw, Mnemonic.Vpslld, Mnemonic.Vpsllq, Mnemonic.Vpsrlw, Mnemonic.Vpsrld, Mnemonic.Vpsrlq, Mnemonic.Vpsraw, Mnemonic.Vpsrad,
        Mnemonic.Vpslldq, Mnemonic.Vpsrldq, Mnemonic.Vpsllvd, Mnemonic.Vpsllvq, Mnemonic.Vpsrlvd, Mnemonic.Vpsrlvq, Mnemonic.Vpsravd);

    [Theory, MemberData(nameof(Shifts))]
    public void Shift(string code)
    {
        var c = Enum.Parse<Code>(code);
        _d.Check(new FormSpec(c)
        {
            Xmm = AvxForms.IntLane(c), Src = Lane.Count, FloatEnv = false, Iterations = 60,
            Imm = [0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33, 63, 64, 65, 128, 255],
        });
    }

    public static TheoryData<string> Permutes => AvxForms.Data(
        Mnemonic.Vpermd, Mnemonic.Vpermps, Mnemonic.Vpermilps, Mnemonic.Vpermilpd,
        Mnemonic.Vpbroadcastb, Mnemonic.Vpbroadcastw, Mnemonic.Vpbroadcastd, Mnemonic.Vpbroadcastq,
        Mnemonic.Vbroadcastss, Mnemonic.Vbroadcastsd, Mnemonic.Vbroadcastf128, Mnemonic.Vbroadcasti128,
        Mnemonic.Vpmovsxbw, Mnemonic.Vpmovsxbd, Mnemonic.Vpmovsxbq, Mnemonic.Vpmovsxwd, Mnemonic.Vpmovsxwq, Mnemonic.Vpmovsxdq,
        Mnemonic.Vpmovzxbw, Mnemonic.Vpmovzxbd, Mnemonic.Vpmovzxbq, Mnemonic.Vpmovzxwd, Mnemonic.Vpmovzxwq, Mnemonic.Vpmovzxdq,
        Mnemonic.Vphminposuw);

    [Theory, MemberData(nameof(Permutes))]
    public void Permute(string code)
    {
        var c = Enum.Parse<Code>(code);
        _d.Check(new FormSpec(c) { Xmm = AvxForms.IntLane(c), FloatEnv = false, Iterations = 60 });
    }
}
