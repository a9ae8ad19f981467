using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>clone, clone3, fork and vfork: new threads (CLONE_THREAD) run on new host threads; anything
/// else is a new process, made by forking the host process.</summary>
internal static class CloneCalls
{
    private const ulong CloneSighand = 0x800, ClonePidfd = 0x1000, CloneSignalMask = 0xFF;

    private static long Clone(LinuxProcess proc, in SyscallArgs a, ulong flags, ulong stack, ulong ptid, ulong ctid, ulong tls)
    {
        // The kernel's own consistency rules (copy_process).
        if ((flags & LinuxProcess.CloneThread) != 0 && (flags & CloneSighand) == 0) return -Errno.EINVAL;
        if ((flags & CloneSighand) != 0 && (flags & LinuxProcess.CloneVm) == 0) return -Errno.EINVAL;
        if ((flags & ClonePidfd) != 0) return -Errno.EINVAL;
        var t = proc.CurrentThread;
        if ((flags & LinuxProcess.CloneThread) != 0) return proc.SpawnThread(t, flags, stack, ptid, ctid, tls);
        return proc.Fork(t, flags, stack, ptid, ctid);
    }

    // x86-64 argument order: flags, stack, parent_tid, child_tid, tls.
    [Syscall(56, "clone", "xppppp")]
    private static long CloneCall(LinuxProcess proc, in SyscallArgs a) => Clone(proc, a, a.A0, a.A1, a.A2, a.A3, a.A4);

    [Syscall(57, "fork")]
    private static long Fork(LinuxProcess proc, in SyscallArgs a) => proc.Fork(proc.CurrentThread, 0, 0, 0, 0);

    // Served as a fork: the child gets a copy rather than the parent's memory, which every program that
    // keeps to vfork's rules cannot tell apart.
    [Syscall(58, "vfork")]
    private static long Vfork(LinuxProcess proc, in SyscallArgs a) => proc.Fork(proc.CurrentThread, 0, 0, 0, 0);

    [Syscall(435, "clone3", "pd")]
    private static long Clone3(LinuxProcess proc, in SyscallArgs a)
    {
        // struct clone_args: flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls,
        // set_tid, set_tid_size, cgroup (64 bytes up to tls).
        ulong size = a.A1;
        if (size < 64 || size > 4096) return -Errno.EINVAL;
        if (!Guest.Check(proc, a.A0, size, PageFlags.Read)) return -Errno.EFAULT;
        var m = proc.Memory;
        ulong flags = m.Read64(a.A0), ctid = m.Read64(a.A0 + 16), ptid = m.Read64(a.A0 + 24), exitSignal = m.Read64(a.A0 + 32);
        ulong stack = m.Read64(a.A0 + 40), stackSize = m.Read64(a.A0 + 48), tls = m.Read64(a.A0 + 56);
        if ((flags & CloneSignalMask) != 0 || exitSignal > 64) return -Errno.EINVAL;
        // Fields past the first version must be zero unless Ferry knows them.
        if (size > 64 && m.Read64(a.A0 + 72) != 0) return -Errno.EINVAL; // set_tid_size
        for (ulong off = 88; off + 8 <= size; off += 8) if (m.Read64(a.A0 + off) != 0) return -Errno.E2BIG;
        if ((stack == 0) != (stackSize == 0)) return -Errno.EINVAL;
        return Clone(proc, a, flags | exitSignal, stack == 0 ? 0 : stack + stackSize, ptid, ctid, tls);
    }
}
