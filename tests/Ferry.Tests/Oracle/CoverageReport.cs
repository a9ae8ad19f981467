using System.Text;
using Ferry.Interpreter;
using Iced.Intel;

namespace Ferry.Tests.Oracle;

/// <summary>Renders docs/instruction-coverage.md: for each CPUID feature (as Iced groups the 64-bit-mode
/// legacy and VEX forms), how many forms Ferry implements and how many the differential tests verified
/// against the host CPU, with the forms still missing from the x86-64-v3 target.</summary>
public static class CoverageReport
{
    /// <summary>The features a CPU of x86-64-v3 (plus the usual extras) must have in full.</summary>
    public static readonly CpuidFeature[] Target =
    [
        CpuidFeature.INTEL8086, CpuidFeature.INTEL186, CpuidFeature.INTEL386, CpuidFeature.X64, CpuidFeature.CMOV,
        CpuidFeature.CX8, CpuidFeature.CMPXCHG16B, CpuidFeature.FPU, CpuidFeature.FPU287, CpuidFeature.FPU387,
        CpuidFeature.MMX, CpuidFeature.SSE, CpuidFeature.SSE2, CpuidFeature.SSE3, CpuidFeature.SSSE3,
        CpuidFeature.SSE4_1, CpuidFeature.SSE4_2, CpuidFeature.POPCNT, CpuidFeature.LZCNT, CpuidFeature.BMI1,
        CpuidFeature.BMI2, CpuidFeature.MOVBE, CpuidFeature.ADX, CpuidFeature.AVX, CpuidFeature.AVX2,
        CpuidFeature.FMA, CpuidFeature.F16C, CpuidFeature.AES, CpuidFeature.PCLMULQDQ, CpuidFeature.SHA,
        CpuidFeature.XSAVE, CpuidFeature.FXSR, CpuidFeature.RDTSCP, CpuidFeature.TSC,
    ];

    private static string GroupOf(Code c) => string.Join("+", c.CpuidFeatures());

    private static bool InScope(Code c) =>
        c != Code.INVALID && c.Encoding() is EncodingKind.Legacy or EncodingKind.VEX && c.ToOpCode().Mode64;

    // Privileged and 16/32-bit-only forms of the base groups are #GP/#UD in a Linux process either way.
    private static bool Wanted(Code c)
    {
        var f = c.CpuidFeatures();
        if (!f.All(x => Target.Contains(x))) return false;
        var op = c.ToOpCode();
        return op.IsInstruction && op.Cpl3 && !op.MustBeCpl0 && !op.IsInputOutput && op.LongMode;
    }

    private static bool Is(Code c, params Mnemonic[] m) => m.Contains(c.Mnemonic());

    private static bool NearBranch(Code c) => Is(c, Mnemonic.Jmp, Mnemonic.Call, Mnemonic.Ret, Mnemonic.Loop, Mnemonic.Loope,
        Mnemonic.Loopne, Mnemonic.Jrcxz, Mnemonic.Jecxz, Mnemonic.Jcxz) || c.IsJccShortOrNear();

    /// <summary>Why a form cannot run in the tester's buffer, and what verifies it instead; the first match wins.</summary>
    private static readonly (string Reason, Func<Code, bool> Match)[] NotRunnable =
    [
        ("**enters the kernel**: every guest program", c => c == Code.Syscall),
        ("**raise a fault or trap** (SIGILL, SIGSEGV, SIGTRAP), which the buffer has no handler for: int_vectors.c " +
         "(INT n, INT1, INT3), crash_ud2.c (UD2), segments_umip.c (the privileged and descriptor-table forms, as the " +
         "kernel's UMIP emulation answers them; the ring-0 and port forms, HLT, CLI/STI, UD0 and UD1 with their signal, " +
         "trap number and error code), sse3_monitor_mwait_sigill.c (MONITOR/MWAIT)",
            c => Is(c, Mnemonic.Ud0, Mnemonic.Ud1, Mnemonic.Ud2, Mnemonic.Int, Mnemonic.Int1, Mnemonic.Int3, Mnemonic.Hlt,
                Mnemonic.Cli, Mnemonic.Sti, Mnemonic.In, Mnemonic.Out, Mnemonic.Insb, Mnemonic.Insw, Mnemonic.Insd,
                Mnemonic.Outsb, Mnemonic.Outsw, Mnemonic.Outsd, Mnemonic.Lldt, Mnemonic.Ltr, Mnemonic.Lmsw, Mnemonic.Clts,
                Mnemonic.Invd, Mnemonic.Wbinvd, Mnemonic.Invlpg, Mnemonic.Lgdt, Mnemonic.Lidt, Mnemonic.Swapgs,
                Mnemonic.Rdmsr, Mnemonic.Wrmsr, Mnemonic.Xsetbv, Mnemonic.Monitor, Mnemonic.Mwait) ||
                (c.Mnemonic() == Mnemonic.Mov && c.ToOpCode() is var o && Enumerable.Range(0, o.OpCount).Any(k =>
                    o.GetOpKind(k) is OpCodeOperandKind.cr_reg or OpCodeOperandKind.dr_reg))),
        ("**far transfers with a 16- or 32-bit offset**, whose target must lie below 64 KiB or 4 GiB while the " +
         "buffers lie higher: segments_umip.c (a program with a page below 4 GiB) compares RETF, IRETD and far " +
         "JMP/CALL m16:32 with native runs; the 16-bit ones are unreachable (below the lowest mappable address)",
            c => c is Code.Retfw or Code.Retfw_imm16 or Code.Retfd or Code.Retfd_imm16 or Code.Iretw or Code.Iretd
                or Code.Call_m1616 or Code.Call_m1632 or Code.Jmp_m1616 or Code.Jmp_m1632),
        ("**far JMP/CALL m16:64**: AMD (this host) ignores REX.W and reads m16:32, Intel reads an 8-byte offset; " +
         "Ferry follows the host, and segments_umip.c checks the m16:32 reading",
            c => c is Code.Call_m1664 or Code.Jmp_m1664),
        ("**near branches with a 16-bit operand size** (66 prefix): Iced decodes them in 64-bit mode only with " +
         "DecoderOptions.AMD, and Ferry decodes as Intel does (the prefix is ignored, the displacement stays 32 " +
         "bits), so Ferry never runs these codes; this AMD host truncates the target to 16 bits instead",
            c => NearBranch(c) && c.ToOpCode().OperandSize == 16),
        ("**outside the x86-64-v3 target**, and CPUID does not report them: VAES, VPCLMULQDQ (256-bit), the KNC encodings",
            c => c.CpuidFeatures().Any(f => f is CpuidFeature.VAES or CpuidFeature.VPCLMULQDQ or CpuidFeature.KNC)),
    ];

    public static string Render(IReadOnlySet<Code> verified)
    {
        var codes = Enum.GetValues<Code>().Where(InScope).ToList();
        var groups = codes.GroupBy(GroupOf)
            .Where(g => g.Any(HandlerTable.IsImplemented) || g.Any(Wanted))
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        var wanted = codes.Where(Wanted).ToList();
        int wImpl = wanted.Count(HandlerTable.IsImplemented), wVer = wanted.Count(c => HandlerTable.IsImplemented(c) && verified.Contains(c));
        sb.AppendLine("# Instruction coverage");
        sb.AppendLine();
        sb.AppendLine("Generated by the test suite (`./test` without arguments rewrites this file; see");
        sb.AppendLine("tests/Ferry.Tests/Oracle/CoverageReport.cs). A form is an Iced `Code` in 64-bit mode, legacy or VEX");
        sb.AppendLine("encoded. *Verified* means a differential test ran it on the host CPU and under Ferry (the interpreter,");
        sb.AppendLine("and for the JIT's own tests compiled code) and the results agreed. The x86-64-v3 target counts the");
        sb.AppendLine("user-mode forms of the features a v3 CPU has, plus AES, PCLMULQDQ, SHA, FXSR and RDTSCP.");
        sb.AppendLine();
        sb.AppendLine($"**x86-64-v3 target: {wanted.Count} forms, {wImpl} implemented, {wVer} verified.**");
        sb.AppendLine();
        sb.AppendLine("| feature | forms | implemented | verified |");
        sb.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var g in groups)
        {
            int impl = g.Count(HandlerTable.IsImplemented);
            int ver = g.Count(c => HandlerTable.IsImplemented(c) && verified.Contains(c));
            sb.AppendLine($"| {g.Key} | {g.Count()} | {impl} | {ver} |");
        }
        sb.AppendLine();
        sb.AppendLine("## Implemented but not verified against the host");
        sb.AppendLine();
        sb.AppendLine("Forms the differential tester's code buffer cannot run, by reason, with what checks them instead");
        sb.AppendLine("(guest programs under tests/guest are compared byte for byte with their native runs):");
        sb.AppendLine();
        var unverified = codes.Where(c => HandlerTable.IsImplemented(c) && !verified.Contains(c)).ToList();
        foreach (var (reason, match) in NotRunnable)
        {
            var list = unverified.Where(match).ToList();
            if (list.Count == 0) continue;
            sb.AppendLine($"- {reason} ({list.Count}): {string.Join(", ", list)}");
            unverified.RemoveAll(c => list.Contains(c));
        }
        if (unverified.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Not verified, and not in the list of forms the buffer cannot run:");
            sb.AppendLine();
            foreach (var g in unverified.GroupBy(GroupOf).OrderBy(g => g.Key, StringComparer.Ordinal))
                sb.AppendLine($"- {g.Key}: {string.Join(", ", g)}");
        }
        sb.AppendLine();
        sb.AppendLine("## Missing from the x86-64-v3 target");
        sb.AppendLine();
        foreach (var g in groups)
        {
            var list = g.Where(c => Wanted(c) && !HandlerTable.IsImplemented(c)).ToList();
            if (list.Count > 0) sb.AppendLine($"- {g.Key} ({list.Count}): {string.Join(", ", list)}");
        }
        return sb.ToString();
    }
}
