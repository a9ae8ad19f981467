using Ferry.Cpu;

namespace Ferry.Linux.Syscalls;

/// <summary>The six argument registers of an x86-64 system call (RDI, RSI, RDX, R10, R8, R9).</summary>
public readonly struct SyscallArgs
{
    public readonly ulong A0, A1, A2, A3, A4, A5;
    public readonly Processor Cpu;

    public SyscallArgs(Processor cpu)
    {
        Cpu = cpu;
        ref var g = ref cpu.State.Gpr;
        A0 = g[CpuState.Rdi]; A1 = g[CpuState.Rsi]; A2 = g[CpuState.Rdx]; A3 = g[10]; A4 = g[8]; A5 = g[9];
    }

    public ulong this[int n] => n switch { 0 => A0, 1 => A1, 2 => A2, 3 => A3, 4 => A4, _ => A5 };

    /// <summary>An int argument: the low 32 bits, sign-extended, as the kernel reads them.</summary>
    public int Int(int n) => (int)this[n];
}
