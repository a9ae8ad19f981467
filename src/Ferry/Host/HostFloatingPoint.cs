using System.Runtime.InteropServices;

namespace Ferry.Host;

/// <summary>The host thread's floating-point environment. The SSE semantics take their fast path through the
/// host's own double and float arithmetic, which rounds as the host thread's control register says (MXCSR on
/// x86-64, FPCR on ARM64): guest code must run with the host's default (round to nearest, no flush to zero,
/// exceptions masked or untrapped) whatever the embedding program, or native code it called, left there. .NET has
/// no API for either register, so this is a few bytes of native code.</summary>
public static unsafe class HostFloatingPoint
{
    /// <summary>MXCSR at reset: every exception masked, round to nearest, no FTZ/DAZ.</summary>
    public const uint DefaultMxcsr = 0x1F80;

    /// <summary>FPCR as Linux starts an ARM64 process: round to nearest (RMode 0), no flush to zero (FZ, FZ16),
    /// no default NaN, no alternative half precision, no exception traps.</summary>
    public const uint DefaultFpcr = 0;

    /// <summary>FPCR.RMode = round toward plus infinity (RP).</summary>
    public const uint FpcrRoundUp = 1u << 22;

    /// <summary>FPCR.FZ: subnormal inputs and results of single and double precision flushed to zero.</summary>
    public const uint FpcrFlushToZero = 1u << 24;

    // One stub pair per host: stmxcsr/ldmxcsr on x86-64, mrs/msr fpcr on ARM64.
    private static readonly delegate* unmanaged[SuppressGCTransition]<uint> ReadFn;
    private static readonly delegate* unmanaged[SuppressGCTransition]<uint, void> WriteFn;
    private static readonly uint Default;

    static HostFloatingPoint()
    {
        var arch = RuntimeInformation.ProcessArchitecture;
        if (arch is not (Architecture.X64 or Architecture.Arm64)) return;
        byte* page = (byte*)LibC.Mmap(null, 4096, 3, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0);
        if (page == (byte*)-1) return;
        var code = new Span<byte>(page, 4096);
        if (arch == Architecture.X64)
        {
            // stmxcsr [rsp-8]; mov eax,[rsp-8]; ret (the red zone below RSP is the leaf's own)
            ((byte[])[0x0F, 0xAE, 0x5C, 0x24, 0xF8, 0x8B, 0x44, 0x24, 0xF8, 0xC3]).CopyTo(code);
            // mov [rsp-8],edi; ldmxcsr [rsp-8]; ret
            ((byte[])[0x89, 0x7C, 0x24, 0xF8, 0x0F, 0xAE, 0x54, 0x24, 0xF8, 0xC3]).CopyTo(code[16..]);
            Default = DefaultMxcsr;
        }
        else
        {
            // mrs x0, fpcr; ret
            ((uint*)page)[0] = 0xD53B4400;
            ((uint*)page)[1] = 0xD65F03C0;
            // msr fpcr, x0; ret (the upper half of x0 is FPCR's RES0 bits: the uint argument is zero-extended)
            ((uint*)page)[4] = 0xD51B4400;
            ((uint*)page)[5] = 0xD65F03C0;
            Default = DefaultFpcr;
        }
        // No cache maintenance by hand on ARM64: Linux cleans the data cache and invalidates the instruction cache
        // when it first maps a user page executable (set_pte_at), which this mprotect does (as in AtomicStubs).
        if (LibC.Mprotect(page, 4096, 5 /* PROT_READ|PROT_EXEC */) != 0) return;
        ReadFn = (delegate* unmanaged[SuppressGCTransition]<uint>)page;
        WriteFn = (delegate* unmanaged[SuppressGCTransition]<uint, void>)(page + 16);
    }

    /// <summary>The calling thread's MXCSR (x86-64 hosts; the default elsewhere).</summary>
    public static uint Mxcsr => ReadFn != null && IsX64 ? ReadFn() : DefaultMxcsr;

    /// <summary>Sets the calling thread's MXCSR (x86-64 hosts; nothing elsewhere).</summary>
    public static void SetMxcsr(uint value)
    {
        if (WriteFn != null && IsX64) WriteFn(value);
    }

    /// <summary>The calling thread's FPCR (ARM64 hosts; the default elsewhere).</summary>
    public static uint Fpcr => ReadFn != null && !IsX64 ? ReadFn() : DefaultFpcr;

    /// <summary>Sets the calling thread's FPCR (ARM64 hosts; nothing elsewhere).</summary>
    public static void SetFpcr(uint value)
    {
        if (WriteFn != null && !IsX64) WriteFn(value);
    }

    /// <summary>Puts the calling thread's MXCSR or FPCR back to the default if something changed it.</summary>
    public static void EnsureDefault()
    {
        if (ReadFn != null && ReadFn() != Default) WriteFn(Default);
    }

    /// <summary>Leaves the calling thread's floating-point control register rounding up, or (on ARM64) flushing
    /// subnormals to zero, as an embedding program might before it runs a guest: <c>FERRY_TEST_HOST_FP=up</c> or
    /// <c>ftz</c> makes the <c>ferry</c> command do this at start, so that tests of the command (also of its ARM64
    /// build under qemu) can check that guest arithmetic does not depend on it. Anything else does nothing.</summary>
    public static void DisturbForTests(string? how)
    {
        if (WriteFn == null) return;
        if (IsX64)
        {
            if (how == "up") WriteFn(DefaultMxcsr | 0x4000 /* RC = round up */);
            else if (how == "ftz") WriteFn(DefaultMxcsr | 0x8040 /* FTZ | DAZ */);
        }
        else if (how == "up") WriteFn(DefaultFpcr | FpcrRoundUp);
        else if (how == "ftz") WriteFn(DefaultFpcr | FpcrFlushToZero);
    }

    private static bool IsX64 => RuntimeInformation.ProcessArchitecture == Architecture.X64;
}
