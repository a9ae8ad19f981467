using Ferry.Host;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>alarm, setitimer and getitimer. The host kernel keeps the timers (so they survive exec in
/// place and are not inherited by fork, as on Linux); SIGALRM reaches the guest through Ferry's signal
/// forwarding.</summary>
internal static unsafe class TimerCalls
{
    [Syscall(37, "alarm", "d")]
    private static long Alarm(LinuxProcess proc, in SyscallArgs a) => LibC.Alarm((uint)a.A0);

    // struct itimerval is four longs on every 64-bit Linux.
    [Syscall(38, "setitimer", "dpp")]
    private static long Setitimer(LinuxProcess proc, in SyscallArgs a)
    {
        if (a.A1 != 0 && !Guest.Check(proc, a.A1, 32, PageFlags.Read)) return -Errno.EFAULT;
        if (a.A2 != 0 && !Guest.Check(proc, a.A2, 32, PageFlags.Write)) return -Errno.EFAULT;
        return LibC.Result(LibC.Setitimer(a.Int(0), (void*)a.A1, (void*)a.A2));
    }

    [Syscall(36, "getitimer", "dp")]
    private static long Getitimer(LinuxProcess proc, in SyscallArgs a)
    {
        if (!Guest.Check(proc, a.A1, 32, PageFlags.Write)) return -Errno.EFAULT;
        return LibC.Result(LibC.Getitimer(a.Int(0), (void*)a.A1));
    }
}
