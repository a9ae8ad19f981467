using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>AES-NI: one AES round per instruction on the state in the destination, with the round key
/// from the source (FIPS-197; the state's bytes are taken column by column, byte i at row i mod 4).</summary>
public static unsafe class Aes
{
    private static readonly byte[] SBox = BuildSBox();
    private static readonly byte[] InvSBox = Invert(SBox);

    [Handles(Mnemonic.Aesenc)]
    public static void Aesenc(Processor p, in Instruction i) => SseOperands.Xmm(p, i, 0) = EncRound(SseOperands.Xmm(p, i, 0), SseOperands.ReadAligned(p, i, 1));

    [Handles(Mnemonic.Aesenclast)]
    public static void Aesenclast(Processor p, in Instruction i) => SseOperands.Xmm(p, i, 0) = EncLast(SseOperands.Xmm(p, i, 0), SseOperands.ReadAligned(p, i, 1));

    [Handles(Mnemonic.Aesdec)]
    public static void Aesdec(Processor p, in Instruction i) => SseOperands.Xmm(p, i, 0) = DecRound(SseOperands.Xmm(p, i, 0), SseOperands.ReadAligned(p, i, 1));

    [Handles(Mnemonic.Aesdeclast)]
    public static void Aesdeclast(Processor p, in Instruction i) => SseOperands.Xmm(p, i, 0) = DecLast(SseOperands.Xmm(p, i, 0), SseOperands.ReadAligned(p, i, 1));

    [Handles(Mnemonic.Aesimc)]
    public static void Aesimc(Processor p, in Instruction i) => SseOperands.Xmm(p, i, 0) = InvMixColumns(SseOperands.ReadAligned(p, i, 1));

    [Handles(Mnemonic.Aeskeygenassist)]
    public static void Aeskeygenassist(Processor p, in Instruction i) => SseOperands.Xmm(p, i, 0) = KeygenAssist(SseOperands.ReadAligned(p, i, 1), i.Immediate8);

    // The VEX.128 forms: the state comes from VEX.vvvv, the result zeroes bits 255:128, memory may be misaligned.
    [Handles(Mnemonic.Vaesenc)] public static void Vaesenc(Processor p, in Instruction i) => VexOperands.Lanes(p, i, &EncRound);
    [Handles(Mnemonic.Vaesenclast)] public static void Vaesenclast(Processor p, in Instruction i) => VexOperands.Lanes(p, i, &EncLast);
    [Handles(Mnemonic.Vaesdec)] public static void Vaesdec(Processor p, in Instruction i) => VexOperands.Lanes(p, i, &DecRound);
    [Handles(Mnemonic.Vaesdeclast)] public static void Vaesdeclast(Processor p, in Instruction i) => VexOperands.Lanes(p, i, &DecLast);
    [Handles(Mnemonic.Vaesimc)] public static void Vaesimc(Processor p, in Instruction i) => VexOperands.Unary(p, i, &InvMixColumns);
    [Handles(Mnemonic.Vaeskeygenassist)] public static void Vaeskeygenassist(Processor p, in Instruction i) => VexOperands.UnaryImm(p, i, &KeygenAssist);

    /// <summary>One encryption round: ShiftRows, SubBytes, MixColumns, then the round key.</summary>
    public static Vector128<byte> EncRound(Vector128<byte> state, Vector128<byte> key) => MixColumns(SubBytes(ShiftRows(state), SBox)) ^ key;
    public static Vector128<byte> EncLast(Vector128<byte> state, Vector128<byte> key) => SubBytes(ShiftRows(state), SBox) ^ key;
    public static Vector128<byte> DecRound(Vector128<byte> state, Vector128<byte> key) => InvMixColumns(SubBytes(InvShiftRows(state), InvSBox)) ^ key;
    public static Vector128<byte> DecLast(Vector128<byte> state, Vector128<byte> key) => SubBytes(InvShiftRows(state), InvSBox) ^ key;

    /// <summary>AESKEYGENASSIST: SubWord and RotWord of dwords 1 and 3, with the round constant imm8.</summary>
    public static Vector128<byte> KeygenAssist(Vector128<byte> v, int imm)
    {
        var src = v.AsUInt32();
        uint rcon = (uint)(imm & 0xFF);
        uint x1 = SubWord(src[1]), x3 = SubWord(src[3]);
        return Vector128.Create(x1, RotWord(x1) ^ rcon, x3, RotWord(x3) ^ rcon).AsByte();
    }

    public static Vector128<byte> ShiftRows(Vector128<byte> s)
    {
        Span<byte> r = stackalloc byte[16];
        for (int c = 0; c < 4; c++)
            for (int row = 0; row < 4; row++)
                r[row + 4 * c] = s[row + 4 * ((c + row) & 3)];
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }

    public static Vector128<byte> InvShiftRows(Vector128<byte> s)
    {
        Span<byte> r = stackalloc byte[16];
        for (int c = 0; c < 4; c++)
            for (int row = 0; row < 4; row++)
                r[row + 4 * ((c + row) & 3)] = s[row + 4 * c];
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }

    public static Vector128<byte> SubBytes(Vector128<byte> s, byte[] box)
    {
        Span<byte> r = stackalloc byte[16];
        for (int k = 0; k < 16; k++) r[k] = box[s[k]];
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }

    public static Vector128<byte> MixColumns(Vector128<byte> s)
    {
        Span<byte> r = stackalloc byte[16];
        for (int c = 0; c < 4; c++)
        {
            byte a0 = s[4 * c], a1 = s[4 * c + 1], a2 = s[4 * c + 2], a3 = s[4 * c + 3];
            r[4 * c] = (byte)(Mul(a0, 2) ^ Mul(a1, 3) ^ a2 ^ a3);
            r[4 * c + 1] = (byte)(a0 ^ Mul(a1, 2) ^ Mul(a2, 3) ^ a3);
            r[4 * c + 2] = (byte)(a0 ^ a1 ^ Mul(a2, 2) ^ Mul(a3, 3));
            r[4 * c + 3] = (byte)(Mul(a0, 3) ^ a1 ^ a2 ^ Mul(a3, 2));
        }
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }

    public static Vector128<byte> InvMixColumns(Vector128<byte> s)
    {
        Span<byte> r = stackalloc byte[16];
        for (int c = 0; c < 4; c++)
        {
            byte a0 = s[4 * c], a1 = s[4 * c + 1], a2 = s[4 * c + 2], a3 = s[4 * c + 3];
            r[4 * c] = (byte)(Mul(a0, 14) ^ Mul(a1, 11) ^ Mul(a2, 13) ^ Mul(a3, 9));
            r[4 * c + 1] = (byte)(Mul(a0, 9) ^ Mul(a1, 14) ^ Mul(a2, 11) ^ Mul(a3, 13));
            r[4 * c + 2] = (byte)(Mul(a0, 13) ^ Mul(a1, 9) ^ Mul(a2, 14) ^ Mul(a3, 11));
            r[4 * c + 3] = (byte)(Mul(a0, 11) ^ Mul(a1, 13) ^ Mul(a2, 9) ^ Mul(a3, 14));
        }
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }

    private static uint SubWord(uint w) =>
        SBox[w & 0xFF] | (uint)SBox[(w >> 8) & 0xFF] << 8 | (uint)SBox[(w >> 16) & 0xFF] << 16 | (uint)SBox[w >> 24] << 24;

    private static uint RotWord(uint w) => (w >> 8) | (w << 24);

    /// <summary>Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1.</summary>
    private static byte Mul(byte a, byte b)
    {
        int r = 0, x = a;
        for (; b != 0; b >>= 1)
        {
            if ((b & 1) != 0) r ^= x;
            x <<= 1;
            if ((x & 0x100) != 0) x ^= 0x11B;
        }
        return (byte)r;
    }

    // The S-box is the multiplicative inverse followed by FIPS-197's affine map; computing it keeps a
    // 256-entry table from being mistyped.
    private static byte[] BuildSBox()
    {
        var box = new byte[256];
        for (int v = 0; v < 256; v++)
        {
            byte inv = 0;
            if (v != 0)
                for (int c = 1; c < 256; c++)
                    if (Mul((byte)v, (byte)c) == 1) { inv = (byte)c; break; }
            int b = inv;
            int s = b ^ Rotl8(b, 1) ^ Rotl8(b, 2) ^ Rotl8(b, 3) ^ Rotl8(b, 4) ^ 0x63;
            box[v] = (byte)s;
        }
        return box;
    }

    private static int Rotl8(int b, int n) => ((b << n) | (b >> (8 - n))) & 0xFF;

    private static byte[] Invert(byte[] box)
    {
        var inv = new byte[256];
        for (int v = 0; v < 256; v++) inv[box[v]] = (byte)v;
        return inv;
    }
}
