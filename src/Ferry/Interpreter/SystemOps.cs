using System.Diagnostics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>SYSCALL, CPUID, RDTSC, the no-operation family, and the instructions that trap in user mode.</summary>
internal static class SystemOps
{
    [Handles(Mnemonic.Syscall)]
    private static void Syscall(Processor p, in Instruction i)
    {
        // The kernel sees RCX = return address and R11 = RFLAGS, and the guest finds them clobbered.
        p.State.Gpr[CpuState.Rcx] = p.State.Rip;
        p.State.Gpr[11] = p.State.Rflags;
        p.Stop = StopKind.Syscall;
    }

    [Handles(Mnemonic.Cpuid)]
    private static void Cpuid(Processor p, in Instruction i)
    {
        ref CpuState s = ref p.State;
        var (a, b, c, d) = p.Cpuid.Query((uint)s.Gpr[CpuState.Rax], (uint)s.Gpr[CpuState.Rcx]);
        s.Gpr[CpuState.Rax] = a; s.Gpr[CpuState.Rbx] = b; s.Gpr[CpuState.Rcx] = c; s.Gpr[CpuState.Rdx] = d;
    }

    private static ulong Tsc() => (ulong)Stopwatch.GetTimestamp() * (1_000_000_000UL / (ulong)Stopwatch.Frequency);

    [Handles(Mnemonic.Rdtsc)]
    private static void Rdtsc(Processor p, in Instruction i)
    {
        ulong t = Tsc();
        p.State.Gpr[CpuState.Rax] = t & 0xFFFF_FFFF;
        p.State.Gpr[CpuState.Rdx] = t >> 32;
    }

    [Handles(Mnemonic.Rdtscp)]
    private static void Rdtscp(Processor p, in Instruction i)
    {
        Rdtsc(p, i);
        // Linux loads TSC_AUX with (node << 12) | cpu on every CPU (vgetcpu's RDTSCP path reads it).
        p.State.Gpr[CpuState.Rcx] = UserGdt.CpuNodeLimit();
    }

    [Handles(Mnemonic.Nop, Mnemonic.Pause, Mnemonic.Endbr64, Mnemonic.Endbr32)]
    private static void Nop(Processor p, in Instruction i) { }

    [Handles(Mnemonic.Int3)]
    private static void Int3(Processor p, in Instruction i) => throw new CpuException(CpuExceptionKind.Breakpoint);

    [Handles(Mnemonic.Ud2, Mnemonic.Ud0, Mnemonic.Ud1)]
    private static void Ud(Processor p, in Instruction i) => throw new CpuException(CpuExceptionKind.InvalidOpcode);

    // INT n goes through the IDT. Linux gives user mode only the breakpoint (3) and overflow (4) gates,
    // which trap past the instruction; any other vector fails the gate's privilege check: #GP at the
    // instruction, its error code naming the IDT entry (vector * 8 + 2). Vector 0x80 is the i386 system
    // call gate, which the host's kernel (IA-32 emulation) runs for 64-bit processes as well.
    [Handles(Mnemonic.Int)]
    private static void Int(Processor p, in Instruction i)
    {
        byte vector = i.Immediate8;
        if (vector == 0x80) { p.Stop = StopKind.Int80; return; }
        if (vector == 3) throw new CpuException(CpuExceptionKind.Breakpoint);
        if (vector == 4) throw new CpuException(CpuExceptionKind.Overflow);
        throw new CpuException(CpuExceptionKind.GeneralProtection, code: (vector << 3) | 2);
    }

    // INT1 (ICEBP) raises #DB as a trap without a privilege check; DR6 names no cause, which Linux
    // reports as a breakpoint. (Under KVM on AMD the host reports RIP at the instruction, because the
    // hypervisor re-injects the intercepted ICEBP as a fault; the architecture puts it past.)
    [Handles(Mnemonic.Int1)]
    private static void Int1(Processor p, in Instruction i) => throw new CpuException(CpuExceptionKind.Debug);

    // Privileged or unavailable in 64-bit user mode: #GP, which Linux turns into SIGSEGV.
    [Handles(Mnemonic.Hlt, Mnemonic.Cli, Mnemonic.Sti, Mnemonic.In, Mnemonic.Out,
        Mnemonic.Insb, Mnemonic.Insw, Mnemonic.Insd, Mnemonic.Outsb, Mnemonic.Outsw, Mnemonic.Outsd,
        Mnemonic.Lgdt, Mnemonic.Lidt, Mnemonic.Lldt, Mnemonic.Ltr, Mnemonic.Lmsw, Mnemonic.Clts, Mnemonic.Invd,
        Mnemonic.Wbinvd, Mnemonic.Invlpg, Mnemonic.Rdmsr, Mnemonic.Wrmsr, Mnemonic.Swapgs)]
    private static void Privileged(Processor p, in Instruction i) => throw new CpuException(CpuExceptionKind.GeneralProtection);

    // Control and debug registers are ring 0's (MOV's own handler would take them for general registers).
    [HandlesCode(Code.Mov_r64_cr, Code.Mov_cr_r64, Code.Mov_r64_dr, Code.Mov_dr_r64)]
    private static void ControlRegister(Processor p, in Instruction i) => throw new CpuException(CpuExceptionKind.GeneralProtection);
}
