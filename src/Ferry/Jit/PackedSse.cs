using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Ferry.Memory;

namespace Ferry.Jit;

/// <summary>What compiled code calls for the 128- and 256-bit moves it translates inline: the same checked
/// guest accesses and alignment rule (#GP for a misaligned aligned form, checked before the page) as the
/// interpreter's SseMove/AvxMove handlers, bound to register numbers instead of an <c>Instruction</c>. Legacy SSE
/// forms keep the upper half of the YMM register; VEX.128 forms zero it. They may throw the guest's fault, so
/// the caller publishes the registers first.</summary>
internal static class PackedSse
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    // Not through CpuState.Xmm: see ScalarSse.Low64.
    private static ref Vector128<byte> X(ref CpuState s, int x) =>
        ref Unsafe.As<ulong, Vector128<byte>>(ref Unsafe.Add(ref Unsafe.As<VectorFile, ulong>(ref s.Vec), x * 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref Vector256<byte> Y(ref CpuState s, int x) => ref Unsafe.As<Vector128<byte>, Vector256<byte>>(ref X(ref s, x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Check(ulong a, int size, bool aligned)
    {
        if (aligned && (a & (ulong)(size - 1)) != 0) throw new CpuException(CpuExceptionKind.GeneralProtection);
        return a;
    }

    /// <summary>An m128 source operand (of a load or a packed operation).</summary>
    public static Vector128<byte> Read(GuestMemory m, ulong a, bool aligned) => m.Read128(Check(a, 16, aligned));

    /// <summary>MOVUPS/MOVAPS/MOVDQU/MOVDQA… xmm, m128.</summary>
    public static void Load(ref CpuState s, GuestMemory m, ulong a, int x, bool aligned) => X(ref s, x) = m.Read128(Check(a, 16, aligned));

    /// <summary>MOVUPS/MOVAPS/MOVDQU/MOVDQA… m128, xmm.</summary>
    public static void Store(ref CpuState s, GuestMemory m, ulong a, int x, bool aligned) => m.Write128(Check(a, 16, aligned), X(ref s, x));

    /// <summary>VMOVUPS/VMOVDQU/VMOVAPS/VMOVDQA… of a ymm (<paramref name="wide"/>) or xmm register from memory.</summary>
    public static void VexLoad(ref CpuState s, GuestMemory m, ulong a, int x, bool wide, bool aligned)
    {
        if (wide) Y(ref s, x) = m.Read256(Check(a, 32, aligned));
        else Y(ref s, x) = Vector256.Create(m.Read128(Check(a, 16, aligned)), Vector128<byte>.Zero);
    }

    /// <summary>The stores of <see cref="VexLoad"/>.</summary>
    public static void VexStore(ref CpuState s, GuestMemory m, ulong a, int x, bool wide, bool aligned)
    {
        if (wide) m.Write256(Check(a, 32, aligned), Y(ref s, x));
        else m.Write128(Check(a, 16, aligned), X(ref s, x));
    }

    /// <summary>The register-to-register VEX moves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void VexMove(ref CpuState s, int d, int x, bool wide) =>
        Y(ref s, d) = wide ? Y(ref s, x) : Vector256.Create(X(ref s, x), Vector128<byte>.Zero);

    /// <summary>PMOVMSKB r32, xmm: the sign bits of the 16 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MoveMask(ref CpuState s, int x) => X(ref s, x).ExtractMostSignificantBits();

    /// <summary>A 128- or 256-bit store under co-simulation: the same checks, then journaled 8 bytes at a time
    /// (the whole store faults before any byte is written, as the unjournaled one does).</summary>
    public static void StoreJournaled(ref CpuState s, GuestMemory m, ulong a, int x, int size, bool aligned)
    {
        Check(a, size, aligned);
        if (!m.CanAccess(a, (ulong)size, PageFlags.Write))
        {
            if (size == 32) m.Write256(a, Y(ref s, x)); else m.Write128(a, X(ref s, x));
        }
        for (int k = 0; k < size / 8; k++)
            StoreJournal.Write(m, a + 8 * (ulong)k, Unsafe.Add(ref Unsafe.As<Vector128<byte>, ulong>(ref X(ref s, x)), k), 8);
    }
}
