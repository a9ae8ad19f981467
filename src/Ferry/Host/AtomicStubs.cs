using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Ferry.Host;

/// <summary>Compare-exchange instructions .NET does not offer, as a few bytes of native code: on x86-64 hosts
/// LOCK CMPXCHG at any alignment (the hardware locks a misaligned or page-crossing operand as a whole, so it
/// stays atomic against every other access to those bytes, aligned or not) and LOCK CMPXCHG16B; on ARM64 hosts
/// the 16-byte compare-exchange only (CASPAL with LSE, else an LDAXP/STLXP loop), which also makes misaligned
/// accesses inside one aligned 16-byte block atomic. Null function pointers where a stub does not exist:
/// callers fall back (see GuestMemory.Atomic.cs).</summary>
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

    /// <summary>Which <see cref="Cas128"/> this host got, for <c>ferry info</c>; null when there is none.</summary>
    public static string? Cas128Kind { get; }

    static AtomicStubs()
    {
        if (RuntimeInformation.ProcessArchitecture == Architecture.Arm64)
        {
            Cas128Kind = HostInfo.HasArm64Lse ? "CASPAL (LSE)" : "LDAXP/STLXP loop";
            Cas128 = (delegate* unmanaged[SuppressGCTransition]<ulong, ulong*, ulong, ulong, int>)Arm64Stub(HostInfo.HasArm64Lse ? Arm64Caspal : Arm64Exclusive);
            if (Cas128 == null) Cas128Kind = null;
            return;
        }
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
        {
            Cas128 = (delegate* unmanaged[SuppressGCTransition]<ulong, ulong*, ulong, ulong, int>)(page + Cas128Offset);
            Cas128Kind = "LOCK CMPXCHG16B";
        }
    }

    // cas128(x0 = address, x1 = &expected, x2:x3 = new value) -> w0. Little-endian pairs: the first register of
    // a pair is the lower address, so x2 (new low) and x4 (expected low) are the even registers CASP needs.
    // ldp x4,x5,[x1]; mov x6,x4; mov x7,x5; caspal x4,x5,x2,x3,[x0]; stp x4,x5,[x1]; cmp x4,x6;
    // ccmp x5,x7,#0,eq; cset w0,eq; ret. CASPAL is acquire and release, the full barrier LOCK CMPXCHG16B is (the
    // kernel's fully ordered cmpxchg uses CASAL alone too).
    private static readonly uint[] Arm64Caspal =
        [0xA9401424, 0xAA0403E6, 0xAA0503E7, 0x4864FC02, 0xA9001424, 0xEB06009F, 0xFA4700A0, 0x1A9F17E0, 0xD65F03C0];

    // Without LSE: ldp x4,x5,[x1]; 1: ldaxp x6,x7,[x0]; cmp x6,x4; ccmp x7,x5,#0,eq; b.ne 2f;
    // stlxp w8,x2,x3,[x0]; cbnz w8,1b; dmb ish; mov w0,#1; ret;
    // 2: stlxp w8,x6,x7,[x0]; cbnz w8,1b; dmb ish; stp x6,x7,[x1]; mov w0,#0; ret.
    // A failed compare stores the value it read back: only a successful store-exclusive proves that the pair was
    // read atomically (not torn between two writers). The DMB makes the exchange a full barrier, as the kernel's
    // LL/SC cmpxchg does: acquire and release alone would let an earlier store pass a later load.
    private static readonly uint[] Arm64Exclusive =
        [0xA9401424, 0xC87F9C06, 0xEB0400DF, 0xFA4500E0, 0x540000C1, 0xC8288C02, 0x35FFFF68, 0xD5033BBF, 0x52800020,
         0xD65F03C0, 0xC8289C06, 0x35FFFEC8, 0xD5033BBF, 0xA9001C26, 0x52800000, 0xD65F03C0];

    private static byte* Arm64Stub(uint[] instructions)
    {
        byte* page = (byte*)LibC.Mmap(null, 4096, 3, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0);
        if (page == (byte*)-1) return null;
        for (int i = 0; i < instructions.Length; i++) ((uint*)page)[i] = instructions[i];
        // No cache maintenance by hand: arm64 Linux cleans the data cache and invalidates the instruction cache
        // when it first maps a user page executable (set_pte_at), which this mprotect does.
        if (LibC.Mprotect(page, 4096, 5 /* PROT_READ|PROT_EXEC */) != 0) return null;
        return page;
    }
}
