using Ferry.Host;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>Clocks and sleeping. struct timespec and timeval are two 64-bit words on every 64-bit host.</summary>
internal static unsafe class TimeCalls
{
    [Syscall(228, "clock_gettime", "dp")]
    private static long ClockGettime(LinuxProcess proc, in SyscallArgs a)
    {
        if (!Guest.Check(proc, a.A1, 16, PageFlags.Write)) return -Errno.EFAULT;
        return LibC.Result(LibC.ClockGettime(a.Int(0), (void*)a.A1));
    }

    [Syscall(229, "clock_getres", "dp")]
    private static long ClockGetres(LinuxProcess proc, in SyscallArgs a)
    {
        if (a.A1 != 0 && !Guest.Check(proc, a.A1, 16, PageFlags.Write)) return -Errno.EFAULT;
        return LibC.Result(LibC.ClockGetres(a.Int(0), (void*)a.A1));
    }

    [Syscall(96, "gettimeofday", "pp")]
    private static long Gettimeofday(LinuxProcess proc, in SyscallArgs a)
    {
        if (a.A0 != 0 && !Guest.Check(proc, a.A0, 16, PageFlags.Write)) return -Errno.EFAULT;
        if (a.A1 != 0 && !Guest.Check(proc, a.A1, 8, PageFlags.Write)) return -Errno.EFAULT;
        return LibC.Result(LibC.Gettimeofday((void*)a.A0, (void*)a.A1));
    }

    [Syscall(201, "time", "p")]
    private static long Time(LinuxProcess proc, in SyscallArgs a)
    {
        long t = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (a.A0 != 0)
        {
            if (!Guest.Check(proc, a.A0, 8, PageFlags.Write)) return -Errno.EFAULT;
            proc.Memory.Write64(a.A0, (ulong)t);
        }
        return t;
    }

    private static long Sleep(LinuxProcess proc, int clock, int flags, ulong req, ulong rem)
    {
        if (!Guest.Check(proc, req, 16, PageFlags.Read)) return -Errno.EFAULT;
        if (rem != 0 && !Guest.Check(proc, rem, 16, PageFlags.Write)) return -Errno.EFAULT;
        long ns = (long)proc.Memory.Read64(req + 8), sec = (long)proc.Memory.Read64(req);
        if (ns < 0 || ns >= 1_000_000_000 || sec < 0) return -Errno.EINVAL;
        // clock_nanosleep returns the error number itself rather than -1/errno.
        int r = LibC.ClockNanosleep(clock, flags, (void*)req, (void*)rem);
        return r == 0 ? 0 : -r;
    }

    [Syscall(35, "nanosleep", "pp")]
    private static long Nanosleep(LinuxProcess proc, in SyscallArgs a) => Sleep(proc, 1 /* CLOCK_MONOTONIC */, 0, a.A0, a.A1);

    [Syscall(230, "clock_nanosleep", "dxpp")]
    private static long ClockNanosleep(LinuxProcess proc, in SyscallArgs a) => Sleep(proc, a.Int(0), a.Int(1), a.A2, a.A3);
}
