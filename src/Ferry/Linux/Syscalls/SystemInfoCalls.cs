using System.Text;
using Ferry.Host;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>What the system looks like: uname, resource limits and usage, random bytes, CPU affinity.</summary>
internal static unsafe class SystemInfoCalls
{
    private const int UtsFieldLength = 65, UtsSize = 6 * UtsFieldLength, UtsMachine = 4;

    [Syscall(63, "uname", "p")]
    private static long Uname(LinuxProcess proc, in SyscallArgs a)
    {
        if (!Guest.Check(proc, a.A0, UtsSize, PageFlags.Write)) return -Errno.EFAULT;
        byte* buf = stackalloc byte[UtsSize];
        if (LibC.Uname(buf) != 0) return -LibC.Errno;
        // The guest runs on an x86-64 machine, whatever the host is.
        var machine = new Span<byte>(buf + UtsMachine * UtsFieldLength, UtsFieldLength);
        machine.Clear();
        Encoding.ASCII.GetBytes("x86_64").CopyTo(machine);
        proc.Memory.WriteBytes(a.A0, new ReadOnlySpan<byte>(buf, UtsSize));
        return 0;
    }

    private const int RlimitNofile = 7;

    [Syscall(302, "prlimit64", "ddpp")]
    private static long Prlimit64(LinuxProcess proc, in SyscallArgs a)
    {
        if (a.A2 != 0 && !Guest.Check(proc, a.A2, 16, PageFlags.Read)) return -Errno.EFAULT;
        if (a.A3 != 0 && !Guest.Check(proc, a.A3, 16, PageFlags.Write)) return -Errno.EFAULT;
        bool self = a.Int(0) == 0 || a.Int(0) == LibC.Getpid();
        if (self && a.Int(1) == RlimitNofile) return Limits(proc, a.A2, a.A3);
        return LibC.Result(LibC.Prlimit(self ? 0 : a.Int(0), a.Int(1), (void*)a.A2, (void*)a.A3));
    }

    [Syscall(97, "getrlimit", "dp")]
    private static long Getrlimit(LinuxProcess proc, in SyscallArgs a)
    {
        if (!Guest.Check(proc, a.A1, 16, PageFlags.Write)) return -Errno.EFAULT;
        if (a.Int(0) == RlimitNofile) return Limits(proc, 0, a.A1);
        return LibC.Result(LibC.Prlimit(0, a.Int(0), null, (void*)a.A1));
    }

    [Syscall(160, "setrlimit", "dp")]
    private static long Setrlimit(LinuxProcess proc, in SyscallArgs a)
    {
        if (!Guest.Check(proc, a.A1, 16, PageFlags.Read)) return -Errno.EFAULT;
        if (a.Int(0) == RlimitNofile) return Limits(proc, a.A1, 0);
        return LibC.Result(LibC.Prlimit(0, a.Int(0), (void*)a.A1, null));
    }

    // RLIMIT_NOFILE is the guest's own (see FdTable.Limit): the old limits are read before the new ones are set.
    private static long Limits(LinuxProcess proc, ulong newAddr, ulong oldAddr)
    {
        ulong soft = (ulong)proc.Fds.Limit, hard = (ulong)proc.Fds.HardLimit;
        if (newAddr != 0)
        {
            long r = proc.Fds.SetLimits(proc.Memory.Read64(newAddr), proc.Memory.Read64(newAddr + 8));
            if (r != 0) return r;
        }
        if (oldAddr != 0)
        {
            proc.Memory.Write64(oldAddr, soft);
            proc.Memory.Write64(oldAddr + 8, hard);
        }
        return 0;
    }

    [Syscall(98, "getrusage", "dp")]
    private static long Getrusage(LinuxProcess proc, in SyscallArgs a)
    {
        if (!Guest.Check(proc, a.A1, 144, PageFlags.Write)) return -Errno.EFAULT;
        return LibC.Result(LibC.Getrusage(a.Int(0), (void*)a.A1));
    }

    [Syscall(100, "times", "p")]
    private static long Times(LinuxProcess proc, in SyscallArgs a)
    {
        if (a.A0 != 0 && !Guest.Check(proc, a.A0, 32, PageFlags.Write)) return -Errno.EFAULT;
        return LibC.Result(LibC.Times((void*)a.A0));
    }

    [Syscall(99, "sysinfo", "p")]
    private static long Sysinfo(LinuxProcess proc, in SyscallArgs a)
    {
        if (!Guest.Check(proc, a.A0, 112, PageFlags.Write)) return -Errno.EFAULT;
        return LibC.Result(LibC.Sysinfo((void*)a.A0));
    }

    [Syscall(318, "getrandom", "pdx")]
    private static long Getrandom(LinuxProcess proc, in SyscallArgs a)
    {
        ulong n = Guest.Prefix(proc, a.A0, a.A1, PageFlags.Write);
        if (n == 0 && a.A1 != 0) return -Errno.EFAULT;
        return LibC.Result(LibC.Getrandom((void*)a.A0, (nuint)n, (uint)a.A2));
    }
}
