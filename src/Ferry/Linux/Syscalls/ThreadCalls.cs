using Ferry.Host;
using Ferry.Linux.Threads;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>Thread identity and lifetime: exit (one thread), gettid, set_tid_address, robust lists.</summary>
internal static class ThreadCalls
{
    [Syscall(60, "exit", "d")]
    private static long Exit(LinuxProcess proc, in SyscallArgs a)
    {
        proc.EndThread(proc.CurrentThread, a.Int(0) & 0xFF);
        return 0;
    }

    [Syscall(186, "gettid")]
    private static long Gettid(LinuxProcess proc, in SyscallArgs a) => proc.CurrentThread.Tid;

    [Syscall(218, "set_tid_address", "p")]
    private static long SetTidAddress(LinuxProcess proc, in SyscallArgs a)
    {
        var t = proc.CurrentThread;
        t.ClearChildTid = a.A0;
        return t.Tid;
    }

    [Syscall(273, "set_robust_list", "pd")]
    private static long SetRobustList(LinuxProcess proc, in SyscallArgs a)
    {
        if (a.A1 != 24) return -Errno.EINVAL;
        var t = proc.CurrentThread;
        t.RobustList = a.A0;
        RobustList.RegisterWithHost(t);
        return 0;
    }

    [Syscall(274, "get_robust_list", "dpp")]
    private static long GetRobustList(LinuxProcess proc, in SyscallArgs a)
    {
        var t = a.Int(0) == 0 ? proc.CurrentThread : proc.FindThread(a.Int(0));
        if (t == null) return -Errno.ESRCH;
        if (!Guest.Check(proc, a.A1, 8, PageFlags.Write) || !Guest.Check(proc, a.A2, 8, PageFlags.Write)) return -Errno.EFAULT;
        proc.Memory.Write64(a.A1, t.RobustList);
        proc.Memory.Write64(a.A2, 24);
        return 0;
    }
}
