using System.Runtime.CompilerServices;
using Ferry.Cpu;
using Ferry.Interpreter;

namespace Ferry.Jit;

/// <summary>What compiled code calls for the scalar SSE arithmetic, compares and conversions it translates
/// inline: the lane semantics are <see cref="SseFloat"/>'s, which the interpreter's handlers use too; these only
/// bind them to the state without an <c>Instruction</c>.</summary>
/// <remarks>None of them throws. An operation whose exceptions include an unmasked one returns those exception
/// flags and changes nothing (neither MXCSR nor the destination); the caller then publishes the registers and
/// hands the flags to <see cref="SseOperands.Commit"/>, which sets them in MXCSR and raises #XM just as the
/// handler does. Otherwise they return 0 and leave MXCSR's sticky flags and the destination as the handler
/// would. Destinations are register numbers; the legacy encodings keep the rest of the register.</remarks>
internal static class ScalarSse
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    // Not through CpuState.Xmm: the inline array's indexer costs a span (Tier0-compiled generic code) per access.
    private static ref ulong Low64(ref CpuState s, int x) => ref Unsafe.Add(ref Unsafe.As<VectorFile, ulong>(ref s.Vec), x * 4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref uint Low32(ref CpuState s, int x) => ref Unsafe.As<ulong, uint>(ref Low64(ref s, x));

    /// <summary>Commits masked exception flags, or reports unmasked ones (see the remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Refused(ref CpuState s, uint f)
    {
        if (f == 0) return false;
        if (MxcsrBits.Unmasked(s.Mxcsr, f) != 0) return true;
        s.Mxcsr |= f;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Set64(ref CpuState s, int d, ulong r, uint f)
    {
        if (Refused(ref s, f)) return f;
        Low64(ref s, d) = r;
        return 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Set32(ref CpuState s, int d, uint r, uint f)
    {
        if (Refused(ref s, f)) return f;
        Low32(ref s, d) = r;
        return 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Addsd(ref CpuState s, int d, ulong b) { uint f = 0; ulong r = SseFloat.AddF64(Low64(ref s, d), b, s.Mxcsr, ref f); return Set64(ref s, d, r, f); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Subsd(ref CpuState s, int d, ulong b) { uint f = 0; ulong r = SseFloat.SubF64(Low64(ref s, d), b, s.Mxcsr, ref f); return Set64(ref s, d, r, f); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Mulsd(ref CpuState s, int d, ulong b) { uint f = 0; ulong r = SseFloat.MulF64(Low64(ref s, d), b, s.Mxcsr, ref f); return Set64(ref s, d, r, f); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Divsd(ref CpuState s, int d, ulong b) { uint f = 0; ulong r = SseFloat.DivF64(Low64(ref s, d), b, s.Mxcsr, ref f); return Set64(ref s, d, r, f); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Minsd(ref CpuState s, int d, ulong b) { uint f = 0; ulong r = SseFloat.MinF64(Low64(ref s, d), b, s.Mxcsr, ref f); return Set64(ref s, d, r, f); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Maxsd(ref CpuState s, int d, ulong b) { uint f = 0; ulong r = SseFloat.MaxF64(Low64(ref s, d), b, s.Mxcsr, ref f); return Set64(ref s, d, r, f); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Sqrtsd(ref CpuState s, int d, ulong b) { uint f = 0; ulong r = SseFloat.SqrtF64(b, s.Mxcsr, ref f); return Set64(ref s, d, r, f); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Addss(ref CpuState s, int d, uint b) { uint f = 0; uint r = SseFloat.AddF32(Low32(ref s, d), b, s.Mxcsr, ref f); return Set32(ref s, d, r, f); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Subss(ref CpuState s, int d, uint b) { uint f = 0; uint r = SseFloat.SubF32(Low32(ref s, d), b, s.Mxcsr, ref f); return Set32(ref s, d, r, f); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Mulss(ref CpuState s, int d, uint b) { uint f = 0; uint r = SseFloat.MulF32(Low32(ref s, d), b, s.Mxcsr, ref f); return Set32(ref s, d, r, f); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Divss(ref CpuState s, int d, uint b) { uint f = 0; uint r = SseFloat.DivF32(Low32(ref s, d), b, s.Mxcsr, ref f); return Set32(ref s, d, r, f); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Minss(ref CpuState s, int d, uint b) { uint f = 0; uint r = SseFloat.MinF32(Low32(ref s, d), b, s.Mxcsr, ref f); return Set32(ref s, d, r, f); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Maxss(ref CpuState s, int d, uint b) { uint f = 0; uint r = SseFloat.MaxF32(Low32(ref s, d), b, s.Mxcsr, ref f); return Set32(ref s, d, r, f); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Sqrtss(ref CpuState s, int d, uint b) { uint f = 0; uint r = SseFloat.SqrtF32(b, s.Mxcsr, ref f); return Set32(ref s, d, r, f); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Cvtsi2sd(ref CpuState s, int d, long v) { uint f = 0; ulong r = SseFloat.IntToF64(v, s.Mxcsr, ref f); return Set64(ref s, d, r, f); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Cvtsi2ss(ref CpuState s, int d, long v) { uint f = 0; uint r = SseFloat.IntToF32(v, s.Mxcsr, ref f); return Set32(ref s, d, r, f); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Cvtss2sd(ref CpuState s, int d, uint a) { uint f = 0; ulong r = SseFloat.F32ToF64(a, s.Mxcsr, ref f); return Set64(ref s, d, r, f); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Cvtsd2ss(ref CpuState s, int d, ulong a) { uint f = 0; uint r = SseFloat.F64ToF32(a, s.Mxcsr, ref f); return Set32(ref s, d, r, f); }

    /// <summary>CVT(T)SD2SI: the integer in <paramref name="r"/> (a 32-bit result zero-extended); returns
    /// unmasked exception flags, then <paramref name="r"/> must not be written anywhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Cvtsd2si(ref CpuState s, ulong a, bool truncate, bool wide, out ulong r)
    {
        uint f = 0;
        r = wide ? (ulong)SseFloat.F64ToInt64(a, truncate, s.Mxcsr, ref f) : (uint)SseFloat.F64ToInt32(a, truncate, s.Mxcsr, ref f);
        return Refused(ref s, f) ? f : 0;
    }

    /// <summary>The single-precision form of <see cref="Cvtsd2si"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Cvtss2si(ref CpuState s, uint a, bool truncate, bool wide, out ulong r)
    {
        uint f = 0;
        r = wide ? (ulong)SseFloat.F32ToInt64(a, truncate, s.Mxcsr, ref f) : (uint)SseFloat.F32ToInt32(a, truncate, s.Mxcsr, ref f);
        return Refused(ref s, f) ? f : 0;
    }

    /// <summary>(U)COMISD: the RFLAGS status bits in the low bits, or unmasked exception flags shifted left
    /// by 32 (then nothing changed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Comisd(ref CpuState s, int a, ulong b, bool signaling)
    {
        uint f = 0;
        var o = SseFloat.ComiF64(Low64(ref s, a), b, signaling, s.Mxcsr, ref f);
        return Refused(ref s, f) ? (ulong)f << 32 : SseFloat.ComiFlags(o);
    }

    /// <summary>(U)COMISS, as <see cref="Comisd"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Comiss(ref CpuState s, int a, uint b, bool signaling)
    {
        uint f = 0;
        var o = SseFloat.ComiF32(Low32(ref s, a), b, signaling, s.Mxcsr, ref f);
        return Refused(ref s, f) ? (ulong)f << 32 : SseFloat.ComiFlags(o);
    }

    /// <summary>CMPSD with predicate 0–7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Cmpsd(ref CpuState s, int d, ulong b, int predicate) { uint f = 0; ulong r = SseFloat.CmpF64(Low64(ref s, d), b, predicate, s.Mxcsr, ref f); return Set64(ref s, d, r, f); }

    /// <summary>CMPSS with predicate 0–7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Cmpss(ref CpuState s, int d, uint b, int predicate) { uint f = 0; uint r = SseFloat.CmpF32(Low32(ref s, d), b, predicate, s.Mxcsr, ref f); return Set32(ref s, d, r, f); }
}
