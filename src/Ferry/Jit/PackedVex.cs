using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Ferry.Memory;

namespace Ferry.Jit;

/// <summary>What compiled code calls for the 256-bit and whole-register VEX forms it translates inline, with the
/// interpreter's semantics (AvxMove, AvxShuffle): a 32-byte source read, VPMOVMSKB of a YMM register,
/// VZEROUPPER and VPBROADCAST. The lane arithmetic itself is the interpreter's 128-bit helpers, called per
/// lane from the generated code.</summary>
internal static class PackedVex
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    // Not through CpuState.Xmm: see ScalarSse.Low64.
    private static ref Vector128<byte> X(ref CpuState s, int x) =>
        ref Unsafe.As<ulong, Vector128<byte>>(ref Unsafe.Add(ref Unsafe.As<VectorFile, ulong>(ref s.Vec), x * 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref Vector256<byte> Y(ref CpuState s, int x) => ref Unsafe.As<Vector128<byte>, Vector256<byte>>(ref X(ref s, x));

    /// <summary>An m256 source operand (VEX memory operands need no alignment).</summary>
    public static Vector256<byte> Read256(GuestMemory m, ulong a) => m.Read256(a);

    /// <summary>The fast path of an m128 source: false (nothing read) when the access needs the full checked read,
    /// which also raises the #GP of a misaligned aligned form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryRead(GuestMemory m, ulong a, bool aligned, out Vector128<byte> v)
    {
        if (aligned && (a & 15) != 0) { v = default; return false; }
        return m.TryRead128(a, out v);
    }

    /// <summary>The fast path of an m256 source.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryRead256(GuestMemory m, ulong a, out Vector256<byte> v) => m.TryRead256(a, out v);

    /// <summary>VPMOVMSKB r32, ymm: the sign bits of the 32 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MoveMask256(ref CpuState s, int x) => Y(ref s, x).ExtractMostSignificantBits();

    /// <summary>VZEROUPPER: bits 255:128 of every vector register become zero.</summary>
    public static void ZeroUpper(ref CpuState s)
    {
        for (int n = 0; n < 16; n++) Unsafe.Add(ref X(ref s, n), 1) = Vector128<byte>.Zero;
    }

    /// <summary>VPBROADCASTB/W/D/Q: the low <paramref name="size"/> bytes of <paramref name="v"/> replicated over
    /// the destination (32 bytes when <paramref name="wide"/>, else 16 with bits 255:128 zeroed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Broadcast(ref CpuState s, int d, ulong v, int size, bool wide)
    {
        Vector128<byte> lane = size switch
        {
            1 => Vector128.Create((byte)v),
            2 => Vector128.Create((ushort)v).AsByte(),
            4 => Vector128.Create((uint)v).AsByte(),
            _ => Vector128.Create(v).AsByte(),
        };
        Y(ref s, d) = Vector256.Create(lane, wide ? lane : Vector128<byte>.Zero);
    }

    /// <summary>VMOVD/VMOVQ xmm, r/m: the value in the low bytes, the rest of the YMM register zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MoveScalar(ref CpuState s, int d, ulong v) => Y(ref s, d) = Vector256.Create(Vector128.CreateScalar(v).AsByte(), Vector128<byte>.Zero);
}
