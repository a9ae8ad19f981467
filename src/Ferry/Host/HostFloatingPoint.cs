using System.Runtime.InteropServices;

namespace Ferry.Host;

/// <summary>The host thread's floating-point environment. The SSE semantics take their fast path through the
/// host's own double and float arithmetic, which rounds as the host thread's MXCSR says: guest code must run
/// with the host's default (round to nearest, no flush to zero, exceptions masked) whatever the embedding
/// program, or native code it called, left there. .NET has no MXCSR API, so this is a few bytes of native code.</summary>
public static unsafe class HostFloatingPoint
{
    /// <summary>MXCSR at reset: every exception masked, round to nearest, no FTZ/DAZ.</summary>
    public const uint DefaultMxcsr = 0x1F80;

    private static readonly delegate* unmanaged[SuppressGCTransition]<uint> ReadFn;
    private static readonly delegate* unmanaged[SuppressGCTransition]<uint, void> WriteFn;

    static HostFloatingPoint()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
        byte* page = (byte*)LibC.Mmap(null, 4096, 3, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0);
        if (page == (byte*)-1) return;
        var code = new Span<byte>(page, 4096);
        // stmxcsr [rsp-8]; mov eax,[rsp-8]; ret (the red zone below RSP is the leaf's own)
        ((byte[])[0x0F, 0xAE, 0x5C, 0x24, 0xF8, 0x8B, 0x44, 0x24, 0xF8, 0xC3]).CopyTo(code);
        // mov [rsp-8],edi; ldmxcsr [rsp-8]; ret
        ((byte[])[0x89, 0x7C, 0x24, 0xF8, 0x0F, 0xAE, 0x54, 0x24, 0xF8, 0xC3]).CopyTo(code[16..]);
        if (LibC.Mprotect(page, 4096, 5 /* PROT_READ|PROT_EXEC */) != 0) return;
        ReadFn = (delegate* unmanaged[SuppressGCTransition]<uint>)page;
        WriteFn = (delegate* unmanaged[SuppressGCTransition]<uint, void>)(page + 16);
    }

    /// <summary>The calling thread's MXCSR (x86-64 hosts; the default elsewhere).</summary>
    public static uint Mxcsr => ReadFn != null ? ReadFn() : DefaultMxcsr;

    /// <summary>Sets the calling thread's MXCSR (x86-64 hosts; nothing elsewhere).</summary>
    public static void SetMxcsr(uint value)
    {
        if (WriteFn != null) WriteFn(value);
    }

    /// <summary>Puts the calling thread's MXCSR back to the default if something changed it.</summary>
    public static void EnsureDefault()
    {
        if (ReadFn != null && ReadFn() != DefaultMxcsr) WriteFn(DefaultMxcsr);
    }
}
