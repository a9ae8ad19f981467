using System.Runtime.InteropServices;
using Ferry.Host;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>wait4 and waitid. Guest children are host children (fork is a host fork), and the status and
/// siginfo layouts are the same on every Linux host, so both go to the host kernel.</summary>
internal static unsafe class WaitCalls
{
    [Syscall(61, "wait4", "dpxp")]
    private static long Wait4(LinuxProcess proc, in SyscallArgs a)
    {
        if (a.A1 != 0 && !Guest.Check(proc, a.A1, 4, PageFlags.Write)) return -Errno.EFAULT;
        if (a.A3 != 0 && !Guest.Check(proc, a.A3, 144, PageFlags.Write)) return -Errno.EFAULT;
        int status = 0;
        long r = LibC.Result(LibC.Wait4(a.Int(0), &status, a.Int(2), (void*)a.A3));
        if (r > 0 && a.A1 != 0) proc.Memory.Write32(a.A1, (uint)status);
        Reaped(proc, r);
        if (r > 0) proc.ChildReaped((int)r, status);
        return r;
    }

    // The host queued SIGCHLD before the wait returned (its handler most likely ran on this very thread on
    // the way out): hand it to the guest now, so that it arrives before the guest's next call, as on Linux.
    private static long Reaped(LinuxProcess proc, long r)
    {
        if (r > 0 && proc.ForwardHostSignals) HostSignals.Drain();
        return r;
    }

    // glibc's waitid has no rusage argument, so the raw call, by the host's own number.
    private static readonly long HostWaitid = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 247 : 95;

    [Syscall(247, "waitid", "ddpxp")]
    private static long Waitid(LinuxProcess proc, in SyscallArgs a)
    {
        if (a.A2 != 0 && !Guest.Check(proc, a.A2, 128, PageFlags.Write)) return -Errno.EFAULT;
        if (a.A4 != 0 && !Guest.Check(proc, a.A4, 144, PageFlags.Write)) return -Errno.EFAULT;
        long r = LibC.Result(LibC.Syscall5(HostWaitid, a.Int(0), a.Int(1), (long)a.A2, a.Int(3), (long)a.A4));
        // waitid returns 0 on success; the reaped pid is in the siginfo.
        if (r == 0 && a.A2 != 0 && proc.Memory.Read32(a.A2 + 16) != 0) Reaped(proc, 1);
        return r;
    }
}
