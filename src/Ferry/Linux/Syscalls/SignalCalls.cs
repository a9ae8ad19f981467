using Ferry.Host;
using Ferry.Linux.Signals;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>Signal dispositions, masks and sending. Delivery to guest handlers builds on this state.</summary>
internal static class SignalCalls
{
    private const int SigKill = GuestSignal.SIGKILL, SigStop = GuestSignal.SIGSTOP;
    private const ulong Unblockable = (1UL << (SigKill - 1)) | (1UL << (SigStop - 1));

    [Syscall(13, "rt_sigaction", "dppd")]
    private static long RtSigaction(LinuxProcess proc, in SyscallArgs a)
    {
        int sig = a.Int(0);
        if (a.A3 != 8 || sig < 1 || sig > SignalState.Count) return -Errno.EINVAL;
        if (a.A1 != 0 && (sig == SigKill || sig == SigStop)) return -Errno.EINVAL;
        if (a.A1 != 0 && !Guest.Check(proc, a.A1, 32, PageFlags.Read)) return -Errno.EFAULT;
        if (a.A2 != 0 && !Guest.Check(proc, a.A2, 32, PageFlags.Write)) return -Errno.EFAULT;
        var old = proc.Signals[sig];
        if (a.A1 != 0)
        {
            var m = proc.Memory;
            proc.Signals[sig] = new SignalAction(m.Read64(a.A1), m.Read64(a.A1 + 8), m.Read64(a.A1 + 16), m.Read64(a.A1 + 24) & ~Unblockable);
        }
        if (a.A2 != 0)
        {
            proc.Memory.Write64(a.A2, old.Handler);
            proc.Memory.Write64(a.A2 + 8, old.Flags);
            proc.Memory.Write64(a.A2 + 16, old.Restorer);
            proc.Memory.Write64(a.A2 + 24, old.Mask);
        }
        return 0;
    }

    [Syscall(14, "rt_sigprocmask", "dppd")]
    private static long RtSigprocmask(LinuxProcess proc, in SyscallArgs a)
    {
        if (a.A3 != 8) return -Errno.EINVAL;
        if (a.A1 != 0 && !Guest.Check(proc, a.A1, 8, PageFlags.Read)) return -Errno.EFAULT;
        if (a.A2 != 0 && !Guest.Check(proc, a.A2, 8, PageFlags.Write)) return -Errno.EFAULT;
        ulong old = proc.Signals.Blocked;
        if (a.A1 != 0)
        {
            ulong set = proc.Memory.Read64(a.A1) & ~Unblockable;
            switch (a.Int(0))
            {
                case 0: proc.Signals.Blocked = old | set; break;
                case 1: proc.Signals.Blocked = old & ~set; break;
                case 2: proc.Signals.Blocked = set; break;
                default: return -Errno.EINVAL;
            }
        }
        if (a.A2 != 0) proc.Memory.Write64(a.A2, old);
        return 0;
    }

    [Syscall(131, "sigaltstack", "pp")]
    private static long Sigaltstack(LinuxProcess proc, in SyscallArgs a)
    {
        // stack_t: ss_sp (8), ss_flags (4 + 4 padding), ss_size (8).
        if (a.A0 != 0 && !Guest.Check(proc, a.A0, 24, PageFlags.Read)) return -Errno.EFAULT;
        if (a.A1 != 0 && !Guest.Check(proc, a.A1, 24, PageFlags.Write)) return -Errno.EFAULT;
        var old = proc.Signals.AltStack;
        if (a.A0 != 0)
        {
            ulong sp = proc.Memory.Read64(a.A0), size = proc.Memory.Read64(a.A0 + 16);
            int flags = (int)proc.Memory.Read32(a.A0 + 8);
            if ((flags & ~(2 | (1 << 31))) != 0) return -Errno.EINVAL;
            if ((flags & 2) == 0 && size < InitialStack.MinSigStackSize) return -Errno.ENOMEM;
            proc.Signals.AltStack = (sp, flags, size);
        }
        if (a.A1 != 0)
        {
            proc.Memory.Write64(a.A1, old.Sp);
            proc.Memory.Write64(a.A1 + 8, (uint)old.Flags);
            proc.Memory.Write64(a.A1 + 16, old.Size);
        }
        return 0;
    }

    /// <summary>A signal sent by the process to itself (raise, abort, kill(getpid())).</summary>
    internal static long SendToSelf(LinuxProcess proc, int sig)
    {
        if (sig == 0) return 0;
        if (sig < 0 || sig > SignalState.Count) return -Errno.EINVAL;
        var act = proc.Signals[sig];
        bool blocked = (proc.Signals.Blocked & (1UL << (sig - 1))) != 0 && sig != SigKill && sig != SigStop;
        if (act.Handler == SignalAction.Ignore && sig != SigKill && sig != SigStop) return 0;
        if (act.Handler == SignalAction.Default && !blocked)
        {
            if (SignalState.DefaultIgnores(sig) || SignalState.DefaultStops(sig)) return 0;
            proc.Exit = ProcessExit.Killed(sig);
            return 0;
        }
        proc.Strace?.WriteLine($"[ferry] {GuestSignal.Name(sig)} to a guest handler or while blocked is not delivered yet");
        return 0;
    }

    [Syscall(62, "kill", "dd")]
    private static long Kill(LinuxProcess proc, in SyscallArgs a)
    {
        int pid = a.Int(0);
        int self = LibC.Getpid();
        if (pid == self || pid == 0 && LibC.Getpgrp() == self) return SendToSelf(proc, a.Int(1));
        return LibC.Result(LibC.Kill(pid, a.Int(1)));
    }

    [Syscall(200, "tkill", "dd")]
    private static long Tkill(LinuxProcess proc, in SyscallArgs a) =>
        a.Int(0) == LibC.Getpid() ? SendToSelf(proc, a.Int(1)) : -Errno.ESRCH;

    [Syscall(234, "tgkill", "ddd")]
    private static long Tgkill(LinuxProcess proc, in SyscallArgs a)
    {
        int self = LibC.Getpid();
        if (a.Int(0) <= 0 || a.Int(1) <= 0) return -Errno.EINVAL;
        return a.Int(0) == self && a.Int(1) == self ? SendToSelf(proc, a.Int(2)) : -Errno.ESRCH;
    }
}
