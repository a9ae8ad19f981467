using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Ferry.Interpreter;

namespace Ferry.Jit;

/// <summary>What compiled code calls for the legacy packed float arithmetic (ADDPS … MAXPD): the lanes are
/// <see cref="SseFloat"/>'s, as in the interpreter's SsePackedFloat handlers, every lane computed before MXCSR is
/// touched. As <see cref="ScalarSse"/>: an unmasked exception returns its flags and changes nothing, else the
/// masked flags are committed, the destination written and 0 returned.</summary>
internal static class PackedFloat
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    // Not through CpuState.Xmm: see ScalarSse.Low64.
    private static ref Vector128<byte> X(ref CpuState s, int x) =>
        ref Unsafe.As<ulong, Vector128<byte>>(ref Unsafe.Add(ref Unsafe.As<VectorFile, ulong>(ref s.Vec), x * 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Set(ref CpuState s, int d, Vector128<byte> r, uint f)
    {
        if (f != 0)
        {
            if (MxcsrBits.Unmasked(s.Mxcsr, f) != 0) return f;
            s.Mxcsr |= f;
        }
        X(ref s, d) = r;
        return 0;
    }

    /// <summary>The operation of a packed-double instruction, by number: add, sub, mul, div, min, max.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong F64(int op, ulong a, ulong b, uint mx, ref uint f) => op switch
    {
        0 => SseFloat.AddF64(a, b, mx, ref f),
        1 => SseFloat.SubF64(a, b, mx, ref f),
        2 => SseFloat.MulF64(a, b, mx, ref f),
        3 => SseFloat.DivF64(a, b, mx, ref f),
        4 => SseFloat.MinF64(a, b, mx, ref f),
        _ => SseFloat.MaxF64(a, b, mx, ref f),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint F32(int op, uint a, uint b, uint mx, ref uint f) => op switch
    {
        0 => SseFloat.AddF32(a, b, mx, ref f),
        1 => SseFloat.SubF32(a, b, mx, ref f),
        2 => SseFloat.MulF32(a, b, mx, ref f),
        3 => SseFloat.DivF32(a, b, mx, ref f),
        4 => SseFloat.MinF32(a, b, mx, ref f),
        _ => SseFloat.MaxF32(a, b, mx, ref f),
    };

    /// <summary>ADDPD … MAXPD xmm(<paramref name="d"/>), <paramref name="b"/>; <paramref name="op"/> as in <see cref="F64"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pd(ref CpuState s, int d, Vector128<byte> b, int op)
    {
        var x = X(ref s, d).AsUInt64();
        var y = b.AsUInt64();
        uint mx = s.Mxcsr, f = 0;
        ulong r0 = F64(op, x[0], y[0], mx, ref f);
        ulong r1 = F64(op, x[1], y[1], mx, ref f);
        return Set(ref s, d, Vector128.Create(r0, r1).AsByte(), f);
    }

    /// <summary>ADDPS … MAXPS.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Ps(ref CpuState s, int d, Vector128<byte> b, int op)
    {
        var x = X(ref s, d).AsUInt32();
        var y = b.AsUInt32();
        uint mx = s.Mxcsr, f = 0;
        uint r0 = F32(op, x[0], y[0], mx, ref f);
        uint r1 = F32(op, x[1], y[1], mx, ref f);
        uint r2 = F32(op, x[2], y[2], mx, ref f);
        uint r3 = F32(op, x[3], y[3], mx, ref f);
        return Set(ref s, d, Vector128.Create(r0, r1, r2, r3).AsByte(), f);
    }
}
