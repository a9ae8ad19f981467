using Ferry.Cpu;
using X86Base = System.Runtime.Intrinsics.X86.X86Base;

namespace Ferry.Tests.Oracle;

/// <summary>How the differential tester compares instructions whose results Ferry defines on purpose instead
/// of passing the host's through (see <see cref="DifferentialHarness.Compare"/>). Each checks what must hold
/// between Ferry's result and the host's, then lets the rest of the register file be compared exactly.
/// <list type="bullet">
/// <item>CPUID. Ferry reports its own vendor, family/model/stepping, brand string and cache descriptors
/// (leaves 0 EBX/ECX/EDX, 1 EAX and EBX apart from the CLFLUSH line size, 2, 4, 0x80000002–4, 0x80000006), so
/// that programs see one CPU wherever Ferry runs: those are not compared. Every feature bit Ferry reports
/// (leaves 1, 7.0, 7.1, 0x80000001 ECX/EDX, 0xD.0 XCR0 and 0xD.1) must be set on the host (Ferry hides what it
/// does not prove, never invents); the maximum leaves must not exceed the host's; the XSAVE layout of every
/// component Ferry reports (0xD.i size, offset, flags; 0xD.0's area size) must be the host's, because guests
/// lay out and parse XSAVE images by it; the address sizes (0x80000008) must fit the host's. The upper
/// halves of RAX–RDX are zero.</item>
/// <item>XGETBV. XCR0 (ECX = 0) must be a subset of the host's and hold x87 and SSE; XINUSE (ECX = 1) a
/// subset of Ferry's XCR0.</item>
/// <item>RDTSC/RDTSCP. Ferry's counter is its own (nanoseconds of the host's monotonic clock), so values are
/// not compared; the upper halves of RAX and RDX must be zero on both sides, two reads in a row must not go
/// backwards under Ferry, and RDTSCP's ECX must equal the host's TSC_AUX, which Linux sets to
/// (node &lt;&lt; 12) | cpu (the thread is pinned to one CPU for the comparison).</item>
/// </list></summary>
public static class Reconcilers
{
    private static string? Upper(in CpuState s, params int[] regs)
    {
        foreach (var r in regs)
            if (s.Gpr[r] >> 32 != 0) return $"GPR{r} 0x{s.Gpr[r]:x} has bits above 31 set";
        return null;
    }

    private static string? Subset(string what, ulong ferry, ulong host) =>
        (ferry & ~host) != 0 ? $"{what}: Ferry reports 0x{ferry:x}, bits 0x{ferry & ~host:x} of which the host does not have (0x{host:x})" : null;

    private static void CopyAbcd(in CpuState native, ref CpuState ferry)
    {
        foreach (var r in new[] { CpuState.Rax, CpuState.Rbx, CpuState.Rcx, CpuState.Rdx }) ferry.Gpr[r] = native.Gpr[r];
    }

    /// <summary>CPUID for <paramref name="leaf"/>.<paramref name="sub"/>.</summary>
    public static DifferentialHarness.Reconcile Cpuid(uint leaf, uint sub) => (in CpuState native, ref CpuState ferry) =>
    {
        var bad = CheckCpuid(leaf, sub, native, ferry);
        if (bad != null) return $"CPUID {leaf:x}.{sub}: {bad}";
        CopyAbcd(native, ref ferry);
        return null;
    };

    private static string? CheckCpuid(uint leaf, uint sub, in CpuState n, in CpuState f)
    {
        if (Upper(f, CpuState.Rax, CpuState.Rbx, CpuState.Rcx, CpuState.Rdx) is { } u) return u;
        uint fa = (uint)f.Gpr[CpuState.Rax], fb = (uint)f.Gpr[CpuState.Rbx], fc = (uint)f.Gpr[CpuState.Rcx], fd = (uint)f.Gpr[CpuState.Rdx];
        uint na = (uint)n.Gpr[CpuState.Rax], nb = (uint)n.Gpr[CpuState.Rbx], nc = (uint)n.Gpr[CpuState.Rcx], nd = (uint)n.Gpr[CpuState.Rdx];
        switch (leaf, sub)
        {
            case (0, _):
                return fa > na ? $"maximum leaf 0x{fa:x} above the host's 0x{na:x}" : null;
            case (1, _):
                if (((fb >> 8) & 0xFF) != ((nb >> 8) & 0xFF)) return $"CLFLUSH line size {(fb >> 8) & 0xFF} (host {(nb >> 8) & 0xFF})";
                return Subset("ECX", fc, nc) ?? Subset("EDX", fd, nd);
            case (7, 0):
                if (fa > na) return $"maximum subleaf {fa} above the host's {na}";
                return Subset("EBX", fb, nb) ?? Subset("ECX", fc, nc) ?? Subset("EDX", fd, nd);
            case (7, _):
                return Subset("EAX", fa, na) ?? Subset("EBX", fb, nb) ?? Subset("ECX", fc, nc) ?? Subset("EDX", fd, nd);
            case (0xD, 0):
            {
                if ((Subset("XCR0 (EAX)", fa, na) ?? Subset("XCR0 (EDX)", fd, nd)) is { } x) return x;
                // The area for Ferry's components ends where the host puts the end of the highest one.
                uint size = 576;
                for (int c = 2; c < 32; c++)
                    if ((fa >> c & 1) != 0) { var (ca, cb, _, _) = X86Base.CpuId(0xD, c); size = Math.Max(size, (uint)(ca + cb)); }
                return fb != size || fc != size ? $"XSAVE area {fb}/{fc} bytes, the host's layout gives {size}" : null;
            }
            case (0xD, 1):
                return Subset("EAX", fa, na);
            case (0xD, _):
                if (fa == 0 && fb == 0 && fc == 0 && fd == 0) return null; // a component Ferry does not report
                return (fa, fb, fc) != (na, nb, nc) ? $"component {sub}: size/offset/flags {fa}/{fb}/{fc}, host {na}/{nb}/{nc}" : null;
            case (0x80000000, _):
                return fa > na || fa < 0x80000001 ? $"maximum extended leaf 0x{fa:x} (host 0x{na:x})" : null;
            case (0x80000001, _):
                return Subset("ECX", fc, nc) ?? Subset("EDX", fd, nd);
            case (0x80000008, _):
                return (fa & 0xFF) > (na & 0xFF) || ((fa >> 8) & 0xFF) > ((na >> 8) & 0xFF) ? $"address sizes 0x{fa:x} beyond the host's 0x{na:x}" : null;
            default:
                return null; // Ferry's own model, caches and brand string
        }
    }

    /// <summary>XGETBV with ECX = 0.</summary>
    public static string? Xcr0(in CpuState native, ref CpuState ferry)
    {
        if (Upper(ferry, CpuState.Rax, CpuState.Rdx) is { } u) return u;
        ulong f = ferry.Gpr[CpuState.Rdx] << 32 | ferry.Gpr[CpuState.Rax], n = native.Gpr[CpuState.Rdx] << 32 | native.Gpr[CpuState.Rax];
        if (Subset("XCR0", f, n) is { } bad) return bad;
        if ((f & 3) != 3) return $"XCR0 0x{f:x} lacks x87 or SSE state";
        ferry.Gpr[CpuState.Rax] = native.Gpr[CpuState.Rax];
        ferry.Gpr[CpuState.Rdx] = native.Gpr[CpuState.Rdx];
        return null;
    }

    /// <summary>XGETBV with ECX = 1.</summary>
    public static string? XinUse(in CpuState native, ref CpuState ferry)
    {
        if (Upper(ferry, CpuState.Rax, CpuState.Rdx) is { } u) return u;
        ulong f = ferry.Gpr[CpuState.Rdx] << 32 | ferry.Gpr[CpuState.Rax];
        if (Subset("XINUSE", f, CpuidModel.Default.Xcr0) is { } bad) return bad;
        ferry.Gpr[CpuState.Rax] = native.Gpr[CpuState.Rax];
        ferry.Gpr[CpuState.Rdx] = native.Gpr[CpuState.Rdx];
        return null;
    }

    /// <summary>Two time stamp reads, the first left in R9:R8 (and RDTSCP's first ECX in R10), the second in RDX:RAX.</summary>
    public static DifferentialHarness.Reconcile Tsc(bool withAux) => (in CpuState native, ref CpuState ferry) =>
    {
        int[] regs = withAux ? [CpuState.Rax, CpuState.Rdx, CpuState.Rcx, 8, 9, 10] : [CpuState.Rax, CpuState.Rdx, 8, 9];
        if (Upper(native, regs) is { } un) return "native " + un;
        if (Upper(ferry, regs) is { } uf) return uf;
        ulong first = ferry.Gpr[9] << 32 | ferry.Gpr[8], second = ferry.Gpr[CpuState.Rdx] << 32 | ferry.Gpr[CpuState.Rax];
        if (second < first) return $"the counter went back from 0x{first:x} to 0x{second:x}";
        foreach (var r in new[] { CpuState.Rax, CpuState.Rdx, 8, 9 }) ferry.Gpr[r] = native.Gpr[r];
        return null;
    };
}
