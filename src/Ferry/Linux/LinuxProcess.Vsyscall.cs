using Ferry.Cpu;
using Ferry.Linux.Signals;
using Ferry.Linux.Syscalls;
using Ferry.Linux.Threads;

namespace Ferry.Linux;

public sealed unsafe partial class LinuxProcess
{
    private const ulong VsyscallPage = 0xffff_ffff_ff60_0000;
    private const ulong UserSpaceEnd = 0x0000_7fff_ffff_f000;

    // Linux's vsyscall emulation (vsyscall=xonly, the default): the page at 0xffffffffff600000 is not
    // mapped, and an instruction fetch from one of its three entry points (gettimeofday at +0, time at
    // +0x400, getcpu at +0x800) runs that call and then a RET, touching no register but RAX. A fetch from
    // anywhere else in the page, an unreadable return address or a call that faults on its pointers gets
    // SIGSEGV from the kernel (SI_KERNEL); a pointer outside user space gets SEGV_MAPERR at that pointer.
    // Old static binaries (glibc before 2.14 and early Go) still call these addresses.
    private bool TryVsyscall(GuestThread t, CpuException e, out SignalInfo fault)
    {
        fault = default;
        ref CpuState s = ref t.Cpu.State;
        ulong rip = s.Rip;
        if (e.Kind != CpuExceptionKind.PageFault || e.Address != rip || (rip & ~0xfffUL) != VsyscallPage) return false;
        var kernel = new SignalInfo(GuestSignal.SIGSEGV, SignalInfo.SiKernel, 0);
        if ((rip & ~0xc00UL) != VsyscallPage || (rip & 0xc00) == 0xc00 || !Memory.TryRead64(s.Gpr[CpuState.Rsp], out ulong caller))
        {
            fault = kernel;
            return true;
        }
        int entry = (int)((rip >> 10) & 3);
        ulong rdi = s.Gpr[CpuState.Rdi], rsi = s.Gpr[CpuState.Rsi];
        ulong? outside = entry switch
        {
            0 => Outside(rdi, 16) ?? Outside(rsi, 8),
            1 => Outside(rdi, 8),
            _ => Outside(rdi, 4) ?? Outside(rsi, 4),
        };
        if (outside is ulong bad)
        {
            fault = new SignalInfo(GuestSignal.SIGSEGV, SignalInfo.SegvMaperr, bad, Trapno: 14, Error: 6);
            return true;
        }
        ulong nr = entry switch { 0 => 96, 1 => 201, _ => 309 };
        ulong rax = s.Gpr[CpuState.Rax], rdx = s.Gpr[CpuState.Rdx];
        s.Gpr[CpuState.Rax] = nr;
        // getcpu's third argument (a cache pointer the kernel ignores) is passed as 0, as Linux does.
        if (entry == 2) s.Gpr[CpuState.Rdx] = 0;
        var handler = SyscallTable.Get(nr);
        long r = handler != null ? handler(this, new SyscallArgs(t.Cpu)) : -Errno.ENOSYS;
        s.Gpr[CpuState.Rdx] = rdx;
        if (r == -Errno.EFAULT)
        {
            s.Gpr[CpuState.Rax] = rax;
            fault = kernel;
            return true;
        }
        s.Gpr[CpuState.Rax] = unchecked((ulong)r);
        s.Rip = caller;
        s.Gpr[CpuState.Rsp] += 8;
        return true;
    }

    /// <summary>The pointer itself when a buffer of <paramref name="size"/> bytes there reaches past user
    /// space (the kernel's access_ok); null pointers are allowed.</summary>
    private static ulong? Outside(ulong p, ulong size) => p != 0 && (p >= UserSpaceEnd || UserSpaceEnd - p < size) ? p : null;
}
