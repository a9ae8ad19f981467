using Ferry.Cpu;
using Ferry.Host;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>Process identity and lifetime: exit_group, ids, process groups and sessions, arch_prctl, prctl.</summary>
internal static class ProcessCalls
{
    [Syscall(231, "exit_group", "d")]
    private static long ExitGroup(LinuxProcess proc, in SyscallArgs a)
    {
        proc.EndProcess(ProcessExit.Exited(a.Int(0)));
        return 0;
    }

    [Syscall(39, "getpid")] private static long Getpid(LinuxProcess proc, in SyscallArgs a) => LibC.Getpid();
    [Syscall(110, "getppid")] private static long Getppid(LinuxProcess proc, in SyscallArgs a) => LibC.Getppid();
    [Syscall(102, "getuid")] private static long Getuid(LinuxProcess proc, in SyscallArgs a) => LibC.Getuid();
    [Syscall(107, "geteuid")] private static long Geteuid(LinuxProcess proc, in SyscallArgs a) => LibC.Geteuid();
    [Syscall(104, "getgid")] private static long Getgid(LinuxProcess proc, in SyscallArgs a) => LibC.Getgid();
    [Syscall(108, "getegid")] private static long Getegid(LinuxProcess proc, in SyscallArgs a) => LibC.Getegid();
    [Syscall(111, "getpgrp")] private static long Getpgrp(LinuxProcess proc, in SyscallArgs a) => LibC.Getpgrp();
    [Syscall(121, "getpgid", "d")] private static long Getpgid(LinuxProcess proc, in SyscallArgs a) => LibC.Result(LibC.Getpgid(a.Int(0)));
    [Syscall(124, "getsid", "d")] private static long Getsid(LinuxProcess proc, in SyscallArgs a) => LibC.Result(LibC.Getsid(a.Int(0)));
    [Syscall(109, "setpgid", "dd")] private static long Setpgid(LinuxProcess proc, in SyscallArgs a) => LibC.Result(LibC.Setpgid(a.Int(0), a.Int(1)));
    [Syscall(112, "setsid")] private static long Setsid(LinuxProcess proc, in SyscallArgs a) => LibC.Result(LibC.Setsid());

    private static unsafe long GetIds(LinuxProcess proc, in SyscallArgs a, bool user)
    {
        if (!Guest.Check(proc, a.A0, 4, PageFlags.Write) || !Guest.Check(proc, a.A1, 4, PageFlags.Write) || !Guest.Check(proc, a.A2, 4, PageFlags.Write))
            return -Errno.EFAULT;
        uint r, e, s;
        int rc = user ? LibC.Getresuid(&r, &e, &s) : LibC.Getresgid(&r, &e, &s);
        if (rc != 0) return -LibC.Errno;
        proc.Memory.Write32(a.A0, r); proc.Memory.Write32(a.A1, e); proc.Memory.Write32(a.A2, s);
        return 0;
    }

    [Syscall(118, "getresuid", "ppp")] private static long Getresuid(LinuxProcess proc, in SyscallArgs a) => GetIds(proc, a, true);
    [Syscall(120, "getresgid", "ppp")] private static long Getresgid(LinuxProcess proc, in SyscallArgs a) => GetIds(proc, a, false);

    [Syscall(115, "getgroups", "dp")]
    private static unsafe long Getgroups(LinuxProcess proc, in SyscallArgs a)
    {
        int size = a.Int(0);
        if (size < 0) return -Errno.EINVAL;
        if (size == 0) return LibC.Result(LibC.Getgroups(0, null));
        if (!Guest.Check(proc, a.A1, (ulong)size * 4, PageFlags.Write)) return -Errno.EFAULT;
        return LibC.Result(LibC.Getgroups(size, (uint*)a.A1));
    }

    private const int ArchSetGs = 0x1001, ArchSetFs = 0x1002, ArchGetFs = 0x1003, ArchGetGs = 0x1004, ArchGetCpuid = 0x1011, ArchSetCpuid = 0x1012;

    [Syscall(158, "arch_prctl", "xp")]
    private static long ArchPrctl(LinuxProcess proc, in SyscallArgs a)
    {
        ref CpuState s = ref a.Cpu.State;
        switch (a.Int(0))
        {
            case ArchSetFs:
                if (a.A1 >= 1UL << 47) return -Errno.EPERM;
                s.FsBase = a.A1; return 0;
            case ArchSetGs:
                if (a.A1 >= 1UL << 47) return -Errno.EPERM;
                s.GsBase = a.A1; return 0;
            case ArchGetFs:
            case ArchGetGs:
                if (!Guest.Check(proc, a.A1, 8, PageFlags.Write)) return -Errno.EFAULT;
                proc.Memory.Write64(a.A1, a.Int(0) == ArchGetFs ? s.FsBase : s.GsBase);
                return 0;
            case ArchGetCpuid: return 1;
            case ArchSetCpuid: return -Errno.ENODEV;
            default: return -Errno.EINVAL;
        }
    }

    // rseq is optional: glibc falls back when the kernel says ENOSYS.
    [Syscall(334, "rseq", "pdxx")]
    private static long Rseq(LinuxProcess proc, in SyscallArgs a) => -Errno.ENOSYS;

    private const int PrSetPdeathsig = 1, PrGetPdeathsig = 2, PrGetDumpable = 3, PrSetDumpable = 4, PrSetName = 15, PrGetName = 16,
        PrSetChildSubreaper = 36, PrGetChildSubreaper = 37;

    [Syscall(157, "prctl", "xxxxx")]
    private static unsafe long Prctl(LinuxProcess proc, in SyscallArgs a)
    {
        switch (a.Int(0))
        {
            case PrSetName:
            {
                var name = proc.Memory.ReadCString(a.A1, 4096);
                if (name == null) return -Errno.EFAULT;
                name = name.Length > 15 ? name[..15] : name;
                proc.CurrentThread.Name = name;
                // The host thread carries the name too, so ps and /proc show it.
                fixed (byte* z = Guest.Z(name)) LibC.Prctl(PrSetName, (ulong)z, 0, 0, 0);
                return 0;
            }
            case PrGetName:
                if (!Guest.Check(proc, a.A1, 16, PageFlags.Write)) return -Errno.EFAULT;
                var buf = new byte[16];
                proc.CurrentThread.Name.CopyTo(buf, 0);
                proc.Memory.WriteBytes(a.A1, buf);
                return 0;
            case PrSetPdeathsig:
                // The host delivers it to this emulator when the parent goes, and Ferry forwards it.
                if (a.A1 > 64) return -Errno.EINVAL;
                return LibC.Result(LibC.Prctl(PrSetPdeathsig, a.A1, 0, 0, 0));
            case PrGetPdeathsig:
            {
                if (!Guest.Check(proc, a.A1, 4, PageFlags.Write)) return -Errno.EFAULT;
                int sig;
                if (LibC.Prctl(PrGetPdeathsig, (ulong)&sig, 0, 0, 0) != 0) return -LibC.Errno;
                proc.Memory.Write32(a.A1, (uint)sig);
                return 0;
            }
            case PrSetChildSubreaper:
                // One guest process is one host process: the host kernel reparents orphans and reports them to its wait.
                return LibC.Result(LibC.Prctl(PrSetChildSubreaper, a.A1, 0, 0, 0));
            case PrGetChildSubreaper:
            {
                if (!Guest.Check(proc, a.A1, 4, PageFlags.Write)) return -Errno.EFAULT;
                int on;
                if (LibC.Prctl(PrGetChildSubreaper, (ulong)&on, 0, 0, 0) != 0) return -LibC.Errno;
                proc.Memory.Write32(a.A1, (uint)on);
                return 0;
            }
            case PrGetDumpable: return proc.Dumpable ? 1 : 0;
            case PrSetDumpable:
                if (a.A1 > 1) return -Errno.EINVAL;
                proc.Dumpable = a.A1 == 1;
                return 0;
            default:
                return -Errno.EINVAL;
        }
    }
}
