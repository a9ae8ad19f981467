using Ferry.Cpu;
using Ferry.Linux.Syscalls;
using Ferry.Linux.Threads;

namespace Ferry.Linux;

public sealed partial class LinuxProcess
{
    // INT 0x80 in a 64-bit process runs the i386 system call ABI: EAX the i386 number, EBX, ECX, EDX, ESI,
    // EDI, EBP the arguments (32 bits each), the result in RAX; every other register, RCX and R11 and
    // the flags included, comes back unchanged (probed on the host). The call itself is the x86-64 one
    // that does the same, run with the arguments moved to where SYSCALL has them.
    private void DoInt80(GuestThread t)
    {
        ref CpuState s = ref t.Cpu.State;
        uint nr32 = (uint)s.Gpr[CpuState.Rax];
        if (Ia32Syscalls.ToX64(nr32) is not int nr)
        {
            s.Gpr[CpuState.Rax] = unchecked((ulong)-(long)Errno.ENOSYS);
            if (Strace != null) lock (Strace) Strace.WriteLine($"[ferry] int 0x80 system call {nr32} is not served, returning ENOSYS");
            return;
        }
        ulong rdi = s.Gpr[CpuState.Rdi], rsi = s.Gpr[CpuState.Rsi], rdx = s.Gpr[CpuState.Rdx], rcx = s.Gpr[CpuState.Rcx],
            r8 = s.Gpr[8], r9 = s.Gpr[9], r10 = s.Gpr[10], r11 = s.Gpr[11], rip = s.Rip;
        s.Gpr[CpuState.Rdi] = (uint)s.Gpr[CpuState.Rbx];
        s.Gpr[CpuState.Rsi] = (uint)rcx;
        s.Gpr[CpuState.Rdx] = (uint)rdx;
        s.Gpr[10] = (uint)rsi;
        s.Gpr[8] = (uint)rdi;
        s.Gpr[9] = (uint)s.Gpr[CpuState.Rbp];
        s.Gpr[CpuState.Rax] = (ulong)nr;
        DoSyscall(t);
        s.Gpr[CpuState.Rdi] = rdi; s.Gpr[CpuState.Rsi] = rsi; s.Gpr[CpuState.Rdx] = rdx; s.Gpr[CpuState.Rcx] = rcx;
        s.Gpr[8] = r8; s.Gpr[9] = r9; s.Gpr[10] = r10; s.Gpr[11] = r11;
        // Restarted (or put off for a signal that came first): the INT 0x80, two bytes like SYSCALL, runs
        // again and must find its own call number.
        if (s.Rip != rip) s.Gpr[CpuState.Rax] = nr32;
    }
}
