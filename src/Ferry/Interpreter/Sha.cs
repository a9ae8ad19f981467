using System.Numerics;
using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>SHA extensions: SHA-1 rounds and message schedule (SHA1RNDS4, SHA1NEXTE, SHA1MSG1/2) and
/// SHA-256 rounds and message schedule (SHA256RNDS2, SHA256MSG1/2), as the Intel SDM defines them on
/// dwords numbered from the low end (dword 3 is bits 127:96).</summary>
public static class Sha
{
    private static Vector128<uint> Dest(Processor p, in Instruction i) => SseOperands.Xmm(p, i, 0).AsUInt32();
    private static Vector128<uint> Src(Processor p, in Instruction i) => SseOperands.ReadAligned(p, i, 1).AsUInt32();
    private static void Set(Processor p, in Instruction i, uint d3, uint d2, uint d1, uint d0) =>
        SseOperands.Xmm(p, i, 0) = Vector128.Create(d0, d1, d2, d3).AsByte();

    [Handles(Mnemonic.Sha1rnds4)]
    public static void Sha1rnds4(Processor p, in Instruction i)
    {
        var s1 = Dest(p, i);
        var s2 = Src(p, i);
        int f = i.Immediate8 & 3;
        uint k = f switch { 0 => 0x5A827999u, 1 => 0x6ED9EBA1u, 2 => 0x8F1BBCDCu, _ => 0xCA62C1D6u };
        uint a = s1[3], b = s1[2], c = s1[1], d = s1[0], e = 0;
        for (int n = 0; n < 4; n++)
        {
            uint w = s2[3 - n];
            uint a1 = Sha1F(f, b, c, d) + BitOperations.RotateLeft(a, 5) + w + e + k;
            e = d; d = c; c = BitOperations.RotateLeft(b, 30); b = a; a = a1;
        }
        Set(p, i, a, b, c, d);
    }

    private static uint Sha1F(int f, uint b, uint c, uint d) => f switch
    {
        0 => (b & c) ^ (~b & d),
        2 => (b & c) ^ (b & d) ^ (c & d),
        _ => b ^ c ^ d,
    };

    [Handles(Mnemonic.Sha1nexte)]
    public static void Sha1nexte(Processor p, in Instruction i)
    {
        var s1 = Dest(p, i);
        var s2 = Src(p, i);
        Set(p, i, s2[3] + BitOperations.RotateLeft(s1[3], 30), s2[2], s2[1], s2[0]);
    }

    [Handles(Mnemonic.Sha1msg1)]
    public static void Sha1msg1(Processor p, in Instruction i)
    {
        var s1 = Dest(p, i);
        var s2 = Src(p, i);
        uint w0 = s1[3], w1 = s1[2], w2 = s1[1], w3 = s1[0], w4 = s2[3], w5 = s2[2];
        Set(p, i, w2 ^ w0, w3 ^ w1, w4 ^ w2, w5 ^ w3);
    }

    [Handles(Mnemonic.Sha1msg2)]
    public static void Sha1msg2(Processor p, in Instruction i)
    {
        var s1 = Dest(p, i);
        var s2 = Src(p, i);
        uint w13 = s2[2], w14 = s2[1], w15 = s2[0];
        uint w16 = BitOperations.RotateLeft(s1[3] ^ w13, 1);
        uint w17 = BitOperations.RotateLeft(s1[2] ^ w14, 1);
        uint w18 = BitOperations.RotateLeft(s1[1] ^ w15, 1);
        uint w19 = BitOperations.RotateLeft(s1[0] ^ w16, 1);
        Set(p, i, w16, w17, w18, w19);
    }

    /// <summary>SHA256RNDS2: two rounds; the message words plus round constants come from XMM0 (implicit).</summary>
    [Handles(Mnemonic.Sha256rnds2)]
    public static void Sha256rnds2(Processor p, in Instruction i)
    {
        var s1 = Dest(p, i);
        var s2 = Src(p, i);
        var wk = p.State.Xmm(0).AsUInt32();
        uint a = s2[3], b = s2[2], c = s1[3], d = s1[2], e = s2[1], f = s2[0], g = s1[1], h = s1[0];
        for (int n = 0; n < 2; n++)
        {
            uint t = Ch(e, f, g) + Sigma1(e) + wk[n] + h;
            uint a1 = t + Maj(a, b, c) + Sigma0(a);
            uint e1 = t + d;
            h = g; g = f; f = e; e = e1;
            d = c; c = b; b = a; a = a1;
        }
        Set(p, i, a, b, e, f);
    }

    [Handles(Mnemonic.Sha256msg1)]
    public static void Sha256msg1(Processor p, in Instruction i)
    {
        var s1 = Dest(p, i);
        var s2 = Src(p, i);
        uint w4 = s2[0], w3 = s1[3], w2 = s1[2], w1 = s1[1], w0 = s1[0];
        Set(p, i, w3 + SmallSigma0(w4), w2 + SmallSigma0(w3), w1 + SmallSigma0(w2), w0 + SmallSigma0(w1));
    }

    [Handles(Mnemonic.Sha256msg2)]
    public static void Sha256msg2(Processor p, in Instruction i)
    {
        var s1 = Dest(p, i);
        var s2 = Src(p, i);
        uint w14 = s2[2], w15 = s2[3];
        uint w16 = s1[0] + SmallSigma1(w14);
        uint w17 = s1[1] + SmallSigma1(w15);
        uint w18 = s1[2] + SmallSigma1(w16);
        uint w19 = s1[3] + SmallSigma1(w17);
        Set(p, i, w19, w18, w17, w16);
    }

    private static uint Ch(uint e, uint f, uint g) => (e & f) ^ (~e & g);
    private static uint Maj(uint a, uint b, uint c) => (a & b) ^ (a & c) ^ (b & c);
    private static uint Sigma0(uint a) => BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22);
    private static uint Sigma1(uint e) => BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25);
    private static uint SmallSigma0(uint w) => BitOperations.RotateRight(w, 7) ^ BitOperations.RotateRight(w, 18) ^ (w >> 3);
    private static uint SmallSigma1(uint w) => BitOperations.RotateRight(w, 17) ^ BitOperations.RotateRight(w, 19) ^ (w >> 10);
}
