using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Ferry.Host;

/// <summary>Compare-exchange instructions .NET does not offer, as a few bytes of native code: on x86-64 hosts
/// LOCK CMPXCHG at any alignment (the hardware locks a misaligned or page-crossing operand as a whole, so it
/// stays atomic against every other access to those bytes, aligned or not) and LOCK CMPXCHG16B. Null function
/// pointers on other hosts: callers fall back (see GuestMemory.Atomic.cs).</summary>
public static unsafe class AtomicStubs
{
    private const int Cas16Offset = 0, Cas32Offset = 16, Cas64Offset = 32, Cas128Offset = 48;

    /// <summary><c>old = cas(address, expected, value)</c> for 2, 4 and 8 bytes at any alignment.</summary>
    public static readonly delegate* unmanaged[SuppressGCTransition]<ulong, ulong, ulong, ulong> Cas16, Cas32, Cas64;

    /// <summary><c>ok = cas128(address, &amp;expected (lo, hi; the value found on failure), newLo, newHi)</c>;
    /// the address must be 16-byte aligned.</summary>
    public static readonly delegate* unmanaged[SuppressGCTransition]<ulong, ulong*, ulong, ulong, int> Cas128;

    /// <summary>True when the misaligned compare-exchanges exist (x86-64 hosts).</summary>
    public static bool HasUnaligned => Cas64 != null;

    static AtomicStubs()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
        byte* page = (byte*)LibC.Mmap(null, 4096, 3, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0);
        if (page == (byte*)-1) return;
        var code = new Span<byte>(page, 4096);
        // mov eax,esi; lock cmpxchg [rdi],dx; ret
        ((byte[])[0x89, 0xF0, 0x66, 0xF0, 0x0F, 0xB1, 0x17, 0xC3]).CopyTo(code[Cas16Offset..]);
        // mov eax,esi; lock cmpxchg [rdi],edx; ret
        ((byte[])[0x89, 0xF0, 0xF0, 0x0F, 0xB1, 0x17, 0xC3]).CopyTo(code[Cas32Offset..]);
        // mov rax,rsi; lock cmpxchg [rdi],rdx; ret
        ((byte[])[0x48, 0x89, 0xF0, 0xF0, 0x48, 0x0F, 0xB1, 0x17, 0xC3]).CopyTo(code[Cas64Offset..]);
        // push rbx; mov rbx,rdx; mov rax,[rsi]; mov rdx,[rsi+8]; lock cmpxchg16b [rdi]; mov [rsi],rax;
        // mov [rsi+8],rdx; sete al; movzx eax,al; pop rbx; ret
        ((byte[])[0x53, 0x48, 0x89, 0xD3, 0x48, 0x8B, 0x06, 0x48, 0x8B, 0x56, 0x08, 0xF0, 0x48, 0x0F, 0xC7, 0x0F,
            0x48, 0x89, 0x06, 0x48, 0x89, 0x56, 0x08, 0x0F, 0x94, 0xC0, 0x0F, 0xB6, 0xC0, 0x5B, 0xC3]).CopyTo(code[Cas128Offset..]);
        if (LibC.Mprotect(page, 4096, 5 /* PROT_READ|PROT_EXEC */) != 0) return;
        Cas16 = (delegate* unmanaged[SuppressGCTransition]<ulong, ulong, ulong, ulong>)(page + Cas16Offset);
        Cas32 = (delegate* unmanaged[SuppressGCTransition]<ulong, ulong, ulong, ulong>)(page + Cas32Offset);
        Cas64 = (delegate* unmanaged[SuppressGCTransition]<ulong, ulong, ulong, ulong>)(page + Cas64Offset);
        // CPUID.1:ECX.CX16[bit 13]
        if (X86Base.IsSupported && (X86Base.CpuId(1, 0).Ecx & (1 << 13)) != 0)
            Cas128 = (delegate* unmanaged[SuppressGCTransition]<ulong, ulong*, ulong, ulong, int>)(page + Cas128Offset);
    }
}
