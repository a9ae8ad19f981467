using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>XGETBV and the XSAVE family for the x87 (component 0), SSE (1) and AVX (2) state: XSAVE,
/// XSAVEOPT and XRSTOR in the standard layout, XSAVEC and XRSTOR in the compacted layout. The legacy
/// region is the FXSAVE image (bytes 0–511), the header follows at 512 (XSTATE_BV, XCOMP_BV), and the
/// AVX state (YMM0–15 bits 255:128) sits at 576 in both layouts, as CPUID leaf 0xD reports.</summary>
public static class Xsave
{
    private const int Header = 512, AvxOffset = 576, AvxSize = 256;
    private const ulong Compacted = 1UL << 63;

    /// <summary>XGETBV: ECX=0 reads XCR0, ECX=1 the components not in their initial configuration
    /// (XINUSE); any other ECX is #GP. #UD unless CPUID reports XSAVE (CR4.OSXSAVE).</summary>
    [Handles(Mnemonic.Xgetbv)]
    public static void Xgetbv(Processor p, in Instruction i)
    {
        if (!p.Cpuid.Has(CpuFeature.Xsave)) throw new CpuException(CpuExceptionKind.InvalidOpcode);
        ulong v = (uint)p.State.Gpr[CpuState.Rcx] switch
        {
            0 => p.Cpuid.Xcr0,
            1 => InUse(p.State) & p.Cpuid.Xcr0,
            _ => throw new CpuException(CpuExceptionKind.GeneralProtection),
        };
        p.State.Gpr[CpuState.Rax] = v & 0xFFFF_FFFF;
        p.State.Gpr[CpuState.Rdx] = v >> 32;
    }

    /// <summary>XINUSE: a component is in use unless it is in its initial configuration (x87: FCW 037F,
    /// FSW 0, all tags empty, FOP/FIP/FDP 0; SSE: XMM0–15 zero and MXCSR 1F80; AVX: upper halves zero).</summary>
    public static ulong InUse(in CpuState s)
    {
        ulong r = 0;
        if (s.Fcw != 0x037F || s.Fsw != 0 || s.FpTop != 0 || s.FpEmpty != 0xFF || s.Fop != 0 || s.FpuIp != 0 || s.FpuDp != 0) r |= 1;
        bool xmm = s.Mxcsr != MxcsrBits.Reset, ymm = false;
        for (int n = 0; n < 16; n++)
        {
            xmm |= s.Xmm(n) != Vector128<byte>.Zero;
            ymm |= s.YmmHigh(n) != Vector128<byte>.Zero;
        }
        if (xmm) r |= 2;
        if (ymm) r |= 4;
        return r;
    }

    /// <summary>XSETBV is privileged: #GP at CPL 3 once XSAVE is enabled, #UD before. (XSAVES/XRSTORS stay
    /// #UD: CPUID does not report them.)</summary>
    [Handles(Mnemonic.Xsetbv)]
    public static void Xsetbv(Processor p, in Instruction i) =>
        throw new CpuException(p.Cpuid.Has(CpuFeature.Xsave) ? CpuExceptionKind.GeneralProtection : CpuExceptionKind.InvalidOpcode);

    private static ulong Rfbm(Processor p) =>
        ((p.State.Gpr[CpuState.Rdx] << 32) | (uint)p.State.Gpr[CpuState.Rax]) & p.Cpuid.Xcr0;

    private static ulong AlignedArea(Processor p, in Instruction i)
    {
        if (!p.Cpuid.Has(CpuFeature.Xsave)) throw new CpuException(CpuExceptionKind.InvalidOpcode);
        ulong a = Operands.Address(p, i);
        if ((a & 63) != 0) throw new CpuException(CpuExceptionKind.GeneralProtection);
        return a;
    }

    /// <summary>XSAVE and XSAVEOPT (which may skip unmodified components; saving them is always allowed).
    /// Only the components in RFBM are written, and only their XSTATE_BV bits change.</summary>
    [Handles(Mnemonic.Xsave, Mnemonic.Xsave64, Mnemonic.Xsaveopt, Mnemonic.Xsaveopt64)]
    public static void Save(Processor p, in Instruction i)
    {
        ulong a = AlignedArea(p, i);
        ulong rfbm = Rfbm(p);
        bool is64 = i.Mnemonic is Mnemonic.Xsave64 or Mnemonic.Xsaveopt64;
        ulong bv = p.Memory.Read64(a + Header);
        p.Memory.Read8(a + Header + 63);
        if ((rfbm & 4) != 0) p.Memory.Read8(a + AvxOffset + AvxSize - 1);
        bv = (bv & ~rfbm) | (InUse(p.State) & rfbm);
        WriteComponents(p, a, rfbm, is64, AvxOffset, (rfbm & 6) != 0);
        p.Memory.Write64(a + Header, bv);
    }

    /// <summary>XSAVEC: the compacted layout holds only components in RFBM and in use; XSTATE_BV says which
    /// and XCOMP_BV is RFBM with bit 63.</summary>
    [Handles(Mnemonic.Xsavec, Mnemonic.Xsavec64)]
    public static void SaveCompacted(Processor p, in Instruction i)
    {
        ulong a = AlignedArea(p, i);
        ulong rfbm = Rfbm(p);
        ulong bv = InUse(p.State) & rfbm;
        p.Memory.Read8(a + Header + 63);
        if ((bv & 4) != 0) p.Memory.Read8(a + AvxOffset + AvxSize - 1);
        WriteComponents(p, a, bv, i.Mnemonic == Mnemonic.Xsavec64, AvxOffset, (rfbm & 2) != 0);
        // Only XSTATE_BV and XCOMP_BV are written; bytes 16–63 of the header keep their contents (as on the host).
        p.Memory.Write64(a + Header, bv);
        p.Memory.Write64(a + Header + 8, rfbm | Compacted);
    }

    // MXCSR goes with the SSE or AVX component in the standard layout, with SSE alone in the compacted one.
    private static void WriteComponents(Processor p, ulong a, ulong mask, bool is64, int avxOffset, bool mxcsr)
    {
        ref var s = ref p.State;
        if ((mask & 1) != 0)
        {
            Span<byte> b = stackalloc byte[160];
            b.Clear();
            X87Control.WriteX87Image(p, b, is64);
            p.Memory.WriteBytes(a, b[..24]);
            p.Memory.WriteBytes(a + 32, b[32..]);
        }
        if (mxcsr)
        {
            p.Memory.Write32(a + 24, s.Mxcsr);
            p.Memory.Write32(a + 28, X87Control.MxcsrMask);
        }
        if ((mask & 2) != 0)
            for (int n = 0; n < 16; n++) p.Memory.Write128(a + 160 + 16 * (ulong)n, s.Xmm(n));
        if ((mask & 4) != 0)
            for (int n = 0; n < 16; n++) p.Memory.Write128(a + (ulong)avxOffset + 16 * (ulong)n, s.YmmHigh(n));
    }

    /// <summary>XRSTOR in either layout (XCOMP_BV bit 63). A component in RFBM is loaded when its XSTATE_BV
    /// bit is set and put in its initial configuration otherwise. #GP on a header that names components
    /// outside XCR0, non-zero reserved header bytes, or reserved MXCSR bits.</summary>
    [Handles(Mnemonic.Xrstor, Mnemonic.Xrstor64)]
    public static void Restore(Processor p, in Instruction i)
    {
        ulong a = AlignedArea(p, i);
        ulong rfbm = Rfbm(p), xcr0 = p.Cpuid.Xcr0;
        Span<byte> h = stackalloc byte[64];
        p.Memory.ReadBytes(a + Header, h);
        ulong bv = BinaryPrimitives.ReadUInt64LittleEndian(h), comp = BinaryPrimitives.ReadUInt64LittleEndian(h[8..]);
        bool compacted = (comp & Compacted) != 0;
        if ((bv & ~xcr0) != 0) throw new CpuException(CpuExceptionKind.GeneralProtection);
        if (compacted)
        {
            if ((comp & ~Compacted & ~xcr0) != 0 || (bv & ~comp) != 0 || !AllZero(h[16..])) throw new CpuException(CpuExceptionKind.GeneralProtection);
        }
        else if (!AllZero(h[8..24])) throw new CpuException(CpuExceptionKind.GeneralProtection);

        // The standard form loads MXCSR whenever RFBM names SSE or AVX. The compacted form ties it to the
        // SSE component alone: loaded when present in the image, reset when absent (measured on the host).
        bool loadMxcsr = compacted ? (rfbm & bv & 2) != 0 : (rfbm & 6) != 0;
        uint mxcsr = loadMxcsr ? p.Memory.Read32(a + 24) : 0;
        if ((mxcsr & ~X87Control.MxcsrMask) != 0) throw new CpuException(CpuExceptionKind.GeneralProtection);
        ulong load = rfbm & bv;
        Span<byte> legacy = stackalloc byte[416];
        if ((load & 3) != 0) p.Memory.ReadBytes(a, legacy);
        Span<byte> avx = stackalloc byte[AvxSize];
        if ((load & 4) != 0) p.Memory.ReadBytes(a + AvxOffset, avx);

        ref var s = ref p.State;
        if ((rfbm & 1) != 0)
        {
            if ((load & 1) != 0) X87Control.ReadX87Image(ref s, legacy, i.Mnemonic == Mnemonic.Xrstor64);
            else InitX87(ref s);
        }
        if (loadMxcsr) s.Mxcsr = mxcsr;
        else if (compacted && (rfbm & 2) != 0) s.Mxcsr = MxcsrBits.Reset;
        if ((rfbm & 2) != 0)
            for (int n = 0; n < 16; n++)
                s.Xmm(n) = (load & 2) != 0 ? Vector128.Create((ReadOnlySpan<byte>)legacy.Slice(160 + 16 * n, 16)) : Vector128<byte>.Zero;
        if ((rfbm & 4) != 0)
            for (int n = 0; n < 16; n++)
                s.YmmHigh(n) = (load & 4) != 0 ? Vector128.Create((ReadOnlySpan<byte>)avx.Slice(16 * n, 16)) : Vector128<byte>.Zero;
    }

    private static bool AllZero(ReadOnlySpan<byte> b) => b.IndexOfAnyExcept((byte)0) < 0;

    // XRSTOR's initial x87 state is FNINIT's with the registers cleared too.
    private static void InitX87(ref CpuState s)
    {
        X87Control.Initialize(ref s);
        for (int k = 0; k < 8; k++) s.Fpr[k] = default;
    }
}
