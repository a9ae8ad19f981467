using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Sse;

[Collection("SseNative")]
public sealed class IntegerTests
{
    private readonly Differential _d;
    public IntegerTests(NativeFixture f) => _d = new Differential(f);

    /// <summary>Every legacy 64-bit-mode form (MMX and SSE2) of the given mnemonics.</summary>
    public static IEnumerable<Code> FormsOf(params Mnemonic[] mnemonics)
    {
        foreach (var c in Enum.GetValues<Code>())
            if (Array.IndexOf(mnemonics, c.Mnemonic()) >= 0 && c.Encoding() == EncodingKind.Legacy && c.ToOpCode().Mode64)
                yield return c;
    }

    private static TheoryData<string> Data(params Mnemonic[] m)
    {
        var d = new TheoryData<string>();
        foreach (var c in FormsOf(m)) d.Add(c.ToString());
        return d;
    }

    private static Lane LaneOf(Code c)
    {
        var n = c.Mnemonic().ToString();
        if (n is "Pmuludq" or "Paddq" or "Psubq" or "Psllq" or "Psrlq" or "Punpcklqdq" or "Punpckhqdq") return Lane.I64;
        if (n.EndsWith("b") || n.EndsWith("bw") || n == "Psadbw") return Lane.I8;
        if (n.EndsWith("w") || n.EndsWith("wd") || n == "Pmaddwd") return Lane.I16;
        if (n.EndsWith("d") || n.EndsWith("dq")) return Lane.I32;
        return Lane.Bytes;
    }

    public static TheoryData<string> Arithmetic => Data(
        Mnemonic.Paddb, Mnemonic.Paddw, Mnemonic.Paddd, Mnemonic.Paddq, Mnemonic.Psubb, Mnemonic.Psubw, Mnemonic.Psubd, Mnemonic.Psubq,
        Mnemonic.Paddsb, Mnemonic.Paddsw, Mnemonic.Paddusb, Mnemonic.Paddusw, Mnemonic.Psubsb, Mnemonic.Psubsw, Mnemonic.Psubusb, Mnemonic.Psubusw,
        Mnemonic.Pmullw, Mnemonic.Pmulhw, Mnemonic.Pmulhuw, Mnemonic.Pmuludq, Mnemonic.Pmaddwd, Mnemonic.Pavgb, Mnemonic.Pavgw,
        Mnemonic.Pminub, Mnemonic.Pmaxub, Mnemonic.Pminsw, Mnemonic.Pmaxsw, Mnemonic.Psadbw,
        Mnemonic.Pcmpeqb, Mnemonic.Pcmpeqw, Mnemonic.Pcmpeqd, Mnemonic.Pcmpgtb, Mnemonic.Pcmpgtw, Mnemonic.Pcmpgtd,
        Mnemonic.Pand, Mnemonic.Pandn, Mnemonic.Por, Mnemonic.Pxor);

    [Theory, MemberData(nameof(Arithmetic))]
    public void Arith(string code)
    {
        var c = Enum.Parse<Code>(code);
        _d.Check(new FormSpec(c) { Xmm = LaneOf(c), Mm = LaneOf(c), FloatEnv = false, Iterations = 80 });
    }

    public static TheoryData<string> Shifts => Data(
        Mnemonic.Psllw, Mnemonic.Pslld, Mnemonic.Psllq, Mnemonic.Psrlw, Mnemonic.Psrld, Mnemonic.Psrlq, Mnemonic.Psraw, Mnemonic.Psrad,
        Mnemonic.Pslldq, Mnemonic.Psrldq);

    [Theory, MemberData(nameof(Shifts))]
    public void Shift(string code)
    {
        var c = Enum.Parse<Code>(code);
        _d.Check(new FormSpec(c)
        {
            Xmm = LaneOf(c), Mm = LaneOf(c), Src = Lane.Count, FloatEnv = false, Iterations = 100,
            Imm = [0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33, 63, 64, 65, 128, 255],
        });
    }

    public static TheoryData<string> Shuffles => Data(
        Mnemonic.Pshufd, Mnemonic.Pshufhw, Mnemonic.Pshuflw, Mnemonic.Pshufw, Mnemonic.Shufps, Mnemonic.Shufpd,
        Mnemonic.Unpcklps, Mnemonic.Unpckhps, Mnemonic.Unpcklpd, Mnemonic.Unpckhpd,
        Mnemonic.Punpcklbw, Mnemonic.Punpcklwd, Mnemonic.Punpckldq, Mnemonic.Punpcklqdq,
        Mnemonic.Punpckhbw, Mnemonic.Punpckhwd, Mnemonic.Punpckhdq, Mnemonic.Punpckhqdq,
        Mnemonic.Packsswb, Mnemonic.Packssdw, Mnemonic.Packuswb, Mnemonic.Pextrw, Mnemonic.Pinsrw);

    [Theory, MemberData(nameof(Shuffles))]
    public void Shuffle(string code)
    {
        var c = Enum.Parse<Code>(code);
        var lane = c.Mnemonic() is Mnemonic.Packsswb or Mnemonic.Packuswb ? Lane.I16 : c.Mnemonic() == Mnemonic.Packssdw ? Lane.I32 : Lane.Bytes;
        _d.Check(new FormSpec(c) { Xmm = lane, Mm = lane, FloatEnv = false, Iterations = 80 });
    }
}
