using Ferry.Host;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>Scheduling: sched_yield, CPU affinity, policy and parameters. Guest thread ids are mapped to
/// the host threads that run them.</summary>
internal static unsafe class SchedCalls
{
    /// <summary>The host id for a guest pid/tid argument: 0 (the caller) becomes the calling host thread.</summary>
    private static int HostId(LinuxProcess proc, int id)
    {
        if (id == 0) return 0;
        var t = proc.FindThread(id);
        return t != null ? (t == proc.CurrentThread ? 0 : t.HostTid) : id;
    }

    [Syscall(24, "sched_yield")]
    private static long SchedYield(LinuxProcess proc, in SyscallArgs a) => LibC.SchedYield();

    [Syscall(204, "sched_getaffinity", "ddp")]
    private static long SchedGetaffinity(LinuxProcess proc, in SyscallArgs a)
    {
        ulong len = a.A1;
        if ((len & 7) != 0) return -Errno.EINVAL;
        // The raw call returns how many bytes of mask the kernel copied: its cpumask size.
        ulong kernelSize = (ulong)((Environment.ProcessorCount + 63) / 64 * 8);
        if (len < kernelSize) return -Errno.EINVAL;
        if (!Guest.Check(proc, a.A2, kernelSize, PageFlags.Write)) return -Errno.EFAULT;
        if (LibC.SchedGetaffinity(HostId(proc, a.Int(0)), (nuint)kernelSize, (void*)a.A2) != 0) return -LibC.Errno;
        return (long)kernelSize;
    }

    // The CPU and NUMA node the calling thread runs on: the host's answer for the host thread that runs it.
    // The third argument, a cache, has been ignored by Linux since 2.6.24.
    [Syscall(309, "getcpu", "ppp")]
    private static long Getcpu(LinuxProcess proc, in SyscallArgs a)
    {
        uint cpu, node;
        if (LibC.Getcpu(&cpu, &node) != 0) return -LibC.Errno;
        bool ok = true;
        if (a.A0 != 0) ok &= Guest.Check(proc, a.A0, 4, PageFlags.Write) && Put(a.A0, cpu);
        if (a.A1 != 0) ok &= Guest.Check(proc, a.A1, 4, PageFlags.Write) && Put(a.A1, node);
        return ok ? 0 : -Errno.EFAULT;

        static bool Put(ulong p, uint v) { *(uint*)p = v; return true; }
    }

    [Syscall(203, "sched_setaffinity", "ddp")]
    private static long SchedSetaffinity(LinuxProcess proc, in SyscallArgs a)
    {
        if (!Guest.Check(proc, a.A2, a.A1, PageFlags.Read)) return -Errno.EFAULT;
        return LibC.Result(LibC.SchedSetaffinity(HostId(proc, a.Int(0)), (nuint)a.A1, (void*)a.A2));
    }

    [Syscall(143, "sched_getparam", "dp")]
    private static long SchedGetparam(LinuxProcess proc, in SyscallArgs a)
    {
        if (a.Int(0) < 0) return -Errno.EINVAL;
        if (!Guest.Check(proc, a.A1, 4, PageFlags.Write)) return -Errno.EFAULT;
        return LibC.Result(LibC.SchedGetparam(HostId(proc, a.Int(0)), (void*)a.A1));
    }

    [Syscall(142, "sched_setparam", "dp")]
    private static long SchedSetparam(LinuxProcess proc, in SyscallArgs a)
    {
        if (a.Int(0) < 0) return -Errno.EINVAL;
        if (!Guest.Check(proc, a.A1, 4, PageFlags.Read)) return -Errno.EFAULT;
        return LibC.Result(LibC.SchedSetparam(HostId(proc, a.Int(0)), (void*)a.A1));
    }

    [Syscall(145, "sched_getscheduler", "d")]
    private static long SchedGetscheduler(LinuxProcess proc, in SyscallArgs a) =>
        a.Int(0) < 0 ? -Errno.EINVAL : LibC.Result(LibC.SchedGetscheduler(HostId(proc, a.Int(0))));

    [Syscall(144, "sched_setscheduler", "ddp")]
    private static long SchedSetscheduler(LinuxProcess proc, in SyscallArgs a)
    {
        if (a.Int(0) < 0) return -Errno.EINVAL;
        if (!Guest.Check(proc, a.A2, 4, PageFlags.Read)) return -Errno.EFAULT;
        return LibC.Result(LibC.SchedSetscheduler(HostId(proc, a.Int(0)), a.Int(1), (void*)a.A2));
    }

    [Syscall(146, "sched_get_priority_max", "d")]
    private static long SchedGetPriorityMax(LinuxProcess proc, in SyscallArgs a) => LibC.Result(LibC.SchedGetPriorityMax(a.Int(0)));

    [Syscall(147, "sched_get_priority_min", "d")]
    private static long SchedGetPriorityMin(LinuxProcess proc, in SyscallArgs a) => LibC.Result(LibC.SchedGetPriorityMin(a.Int(0)));
}
