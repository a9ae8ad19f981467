using Ferry.Host;
using Ferry.Linux.Signals;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>Signal dispositions, per-thread masks, sending to threads and processes, and waiting for signals.</summary>
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
        // Signals that reached the host before this call meet the old disposition, as they would on Linux.
        if (a.A1 != 0 && proc.ForwardHostSignals) HostSignals.Drain();
        var old = proc.Signals[sig];
        if (a.A1 != 0)
        {
            var m = proc.Memory;
            proc.Signals[sig] = new SignalAction(m.Read64(a.A1), m.Read64(a.A1 + 8), m.Read64(a.A1 + 16), m.Read64(a.A1 + 24) & ~Unblockable);
            if (proc.ForwardHostSignals && (HostSignals.ReaderOnlyMask & (1UL << (sig - 1))) != 0
                && proc.Signals[sig].Handler > SignalAction.Ignore) HostSignals.LookPromptly();
            // A signal that becomes ignored is dropped from every pending set (POSIX).
            if (proc.Signals.Discards(sig)) proc.DiscardPending(1UL << (sig - 1));
            if (sig == GuestSignal.SIGCHLD)
            {
                var act = proc.Signals[sig];
                HostSignals.SetChildReaping(act.Handler == SignalAction.Ignore, (act.Flags & 2 /* SA_NOCLDWAIT */) != 0);
            }
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
        var t = proc.CurrentThread;
        ulong old = t.Blocked;
        if (a.A1 != 0)
        {
            ulong set = proc.Memory.Read64(a.A1) & ~Unblockable;
            switch (a.Int(0))
            {
                case 0: t.Blocked = old | set; break;
                case 1: t.Blocked = old & ~set; break;
                case 2: t.Blocked = set; break;
                default: return -Errno.EINVAL;
            }
            if (proc.ForwardHostSignals && (t.Blocked & HostSignals.ReaderOnlyMask) != 0) HostSignals.LookPromptly();
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
        var t = proc.CurrentThread;
        var old = t.AltStack;
        if (a.A0 != 0)
        {
            ulong sp = proc.Memory.Read64(a.A0), size = proc.Memory.Read64(a.A0 + 16);
            int flags = (int)proc.Memory.Read32(a.A0 + 8);
            if ((flags & ~(2 | (1 << 31))) != 0) return -Errno.EINVAL;
            if ((flags & 2) == 0 && size < InitialStack.MinSigStackSize) return -Errno.ENOMEM;
            t.AltStack = (sp, flags, size);
        }
        if (a.A1 != 0)
        {
            proc.Memory.Write64(a.A1, old.Sp);
            proc.Memory.Write64(a.A1 + 8, (uint)old.Flags);
            proc.Memory.Write64(a.A1 + 16, old.Size);
        }
        return 0;
    }

    /// <summary>A signal sent by the process to itself (raise, abort, kill(getpid())): pending until the
    /// system call returns, then delivered if not blocked.</summary>
    internal static long SendToSelf(LinuxProcess proc, int sig, int code)
    {
        if (sig < 0 || sig > SignalState.Count) return -Errno.EINVAL;
        if (sig == 0) return 0;
        proc.Raise(new SignalInfo(sig, code, Pid: LibC.Getpid(), Uid: LibC.Getuid()));
        return 0;
    }

    [Syscall(15, "rt_sigreturn")]
    private static long RtSigreturn(LinuxProcess proc, in SyscallArgs a)
    {
        var rax = SignalFrame.Return(a.Cpu, proc.CurrentThread);
        if (rax == null)
        {
            proc.Kill(GuestSignal.SIGSEGV);
            return 0;
        }
        return (long)rax.Value;
    }

    [Syscall(127, "rt_sigpending", "pd")]
    private static long RtSigpending(LinuxProcess proc, in SyscallArgs a)
    {
        if (a.A1 > 8) return -Errno.EINVAL;
        if (!Guest.Check(proc, a.A0, a.A1, PageFlags.Write)) return -Errno.EFAULT;
        if (proc.ForwardHostSignals) HostSignals.Drain();
        proc.ExpireDueTimers();
        var b = BitConverter.GetBytes(proc.PendingSignals & proc.CurrentThread.Blocked);
        proc.Memory.WriteBytes(a.A0, b.AsSpan(0, (int)a.A1));
        return 0;
    }

    private static SignalInfo ReadInfo(LinuxProcess proc, ulong addr, int sig)
    {
        int code = (int)proc.Memory.Read32(addr + 8);
        int pid = (int)proc.Memory.Read32(addr + 16);
        uint uid = proc.Memory.Read32(addr + 20);
        ulong value = proc.Memory.Read64(addr + 24);
        return new SignalInfo(sig, code, Pid: pid, Uid: uid, Value: value);
    }

    [Syscall(129, "rt_sigqueueinfo", "ddp")]
    private static long RtSigqueueinfo(LinuxProcess proc, in SyscallArgs a)
    {
        int sig = a.Int(1);
        if (sig < 0 || sig > SignalState.Count) return -Errno.EINVAL;
        if (!Guest.Check(proc, a.A2, 128, PageFlags.Read)) return -Errno.EFAULT;
        var info = ReadInfo(proc, a.A2, sig);
        // Only the kernel may claim kernel codes.
        if (a.Int(0) != LibC.Getpid())
        {
            // Another process (a Ferry one catches it with its siginfo): the host kernel queues it, with the
            // guest's siginfo as it stands, and does the permission checks.
            return LibC.Result(LibC.Syscall5(HostSigqueueinfo, a.Int(0), sig, (long)a.A2, 0, 0));
        }
        if (info.Code >= 0 || info.Code == SignalInfo.SiTkill) return -Errno.EPERM;
        if (sig != 0) proc.Raise(info);
        return 0;
    }

    [Syscall(297, "rt_tgsigqueueinfo", "dddp")]
    private static long RtTgsigqueueinfo(LinuxProcess proc, in SyscallArgs a)
    {
        int sig = a.Int(2);
        if (sig < 0 || sig > SignalState.Count) return -Errno.EINVAL;
        if (!Guest.Check(proc, a.A3, 128, PageFlags.Read)) return -Errno.EFAULT;
        var info = ReadInfo(proc, a.A3, sig);
        if (a.Int(0) != LibC.Getpid())
            return LibC.Result(LibC.Syscall5(HostTgsigqueueinfo, a.Int(0), a.Int(1), sig, (long)a.A3, 0));
        if (info.Code >= 0 || info.Code == SignalInfo.SiTkill) return -Errno.EPERM;
        var target = proc.FindThread(a.Int(1));
        if (target == null) return -Errno.ESRCH;
        if (sig != 0) proc.RaiseThread(target, info);
        return 0;
    }

    [Syscall(128, "rt_sigtimedwait", "pppd")]
    private static long RtSigtimedwait(LinuxProcess proc, in SyscallArgs a)
    {
        if (a.A3 != 8) return -Errno.EINVAL;
        if (!Guest.Check(proc, a.A0, 8, PageFlags.Read)) return -Errno.EFAULT;
        if (a.A1 != 0 && !Guest.Check(proc, a.A1, 128, PageFlags.Write)) return -Errno.EFAULT;
        ulong set = proc.Memory.Read64(a.A0) & ~Unblockable;
        // What the host has already delivered to the handler is pending for the guest too (another process's
        // sigqueue that returned before the caller's wait4 did, say).
        if (proc.ForwardHostSignals) HostSignals.Drain();
        proc.ExpireDueTimers();
        long deadline = long.MaxValue;
        if (a.A2 != 0)
        {
            if (!Guest.Check(proc, a.A2, 16, PageFlags.Read)) return -Errno.EFAULT;
            long sec = (long)proc.Memory.Read64(a.A2), nsec = (long)proc.Memory.Read64(a.A2 + 8);
            if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000) return -Errno.EINVAL;
            deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)Math.Min((sec + nsec / 1e9) * System.Diagnostics.Stopwatch.Frequency, long.MaxValue / 4);
        }
        var t = proc.CurrentThread;
        while (true)
        {
            var info = proc.Dequeue(t, set);
            if (info != null)
            {
                if (a.A1 != 0) WriteInfo(proc, a.A1, info.Value);
                return info.Value.Signo;
            }
            // Another signal to handle, an exit, a fork elsewhere: EINTR (restarted when no handler runs).
            if (proc.HasWork(t)) return -Errno.EINTR;
            if (!proc.WaitUntil(t, () => (proc.PendingSignals & set) != 0 || proc.HasWork(t), deadline))
            {
                // A timer due by the timeout has its signal queued on a kernel, however late the host timer
                // thread runs.
                proc.ExpireDueTimers();
                if (proc.Dequeue(t, set) is not { } late) return -Errno.EAGAIN;
                if (a.A1 != 0) WriteInfo(proc, a.A1, late);
                return late.Signo;
            }
        }
    }

    private static void WriteInfo(LinuxProcess proc, ulong addr, SignalInfo info)
    {
        var b = new byte[128];
        BitConverter.GetBytes(info.Signo).CopyTo(b, 0);
        BitConverter.GetBytes(info.Code).CopyTo(b, 8);
        if (info.IsFault && info.Code > 0) BitConverter.GetBytes(info.Address).CopyTo(b, 16);
        else
        {
            BitConverter.GetBytes(info.Pid).CopyTo(b, 16);
            BitConverter.GetBytes(info.Uid).CopyTo(b, 20);
            BitConverter.GetBytes(info.Value).CopyTo(b, 24);
        }
        proc.Memory.WriteBytes(addr, b);
    }

    [Syscall(130, "rt_sigsuspend", "pd")]
    private static long RtSigsuspend(LinuxProcess proc, in SyscallArgs a)
    {
        if (a.A1 != 8) return -Errno.EINVAL;
        if (!Guest.Check(proc, a.A0, 8, PageFlags.Read)) return -Errno.EFAULT;
        var t = proc.CurrentThread;
        // The temporary mask stays in force until the safe point after the call has set up the handlers' frames:
        // they run with it as their base (not with the caller's mask), every signal it unblocks is taken, and the
        // first frame returns to the caller's mask (see LinuxProcess.Deliver).
        proc.SetTemporaryMask(t, proc.Memory.Read64(a.A0));
        proc.WaitUntil(t, () => proc.HasWork(t), long.MaxValue);
        if (proc.Deliverable(t, t.Blocked) == 0 && !proc.Ends(t))
        {
            // Woken for a fork or exec elsewhere: go round again once it is done, as an unhandled
            // interruption restarts the call.
            proc.RestoreSavedMask(t);
            a.Cpu.State.Rip -= 2;
            return 130;
        }
        return -Errno.EINTR;
    }

    [Syscall(34, "pause")]
    private static long Pause(LinuxProcess proc, in SyscallArgs a)
    {
        var t = proc.CurrentThread;
        proc.WaitUntil(t, () => proc.HasWork(t), long.MaxValue);
        return -Errno.EINTR;
    }

    [Syscall(62, "kill", "dd")]
    private static long Kill(LinuxProcess proc, in SyscallArgs a)
    {
        int pid = a.Int(0), sig = a.Int(1);
        if (sig < 0 || sig > SignalState.Count) return -Errno.EINVAL;
        int self = LibC.Getpid();
        if (pid == self) return SendToSelf(proc, sig, SignalInfo.SiUser);
        if (pid > 0) return LibC.Result(LibC.Kill(pid, sig));
        // A process group or everyone, this process included: the host delivers to it too, and Ferry
        // forwards what it catches. Others would hit the runtime's own handlers, so they are raised here.
        if (sig == 0 || sig is SigKill or SigStop || proc.ForwardHostSignals && HostSignals.Forwarded.Contains(sig))
            return LibC.Result(LibC.Kill(pid, sig));
        return SendToSelf(proc, sig, SignalInfo.SiUser);
    }

    // glibc has no tkill wrapper: the raw call, by the host's own number.
    private static readonly bool HostX64 = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64;
    private static readonly long HostTkill = HostX64 ? 200 : 130, HostSigqueueinfo = HostX64 ? 129 : 138, HostTgsigqueueinfo = HostX64 ? 297 : 240;

    private static long SendToThread(LinuxProcess proc, int tid, int sig)
    {
        if (sig < 0 || sig > SignalState.Count) return -Errno.EINVAL;
        var t = proc.FindThread(tid);
        if (t == null) return -Errno.ESRCH;
        if (sig != 0) proc.RaiseThread(t, new SignalInfo(sig, SignalInfo.SiTkill, Pid: LibC.Getpid(), Uid: LibC.Getuid()));
        return 0;
    }

    [Syscall(200, "tkill", "dd")]
    private static long Tkill(LinuxProcess proc, in SyscallArgs a)
    {
        if (a.Int(0) <= 0) return -Errno.EINVAL;
        if (proc.FindThread(a.Int(0)) != null) return SendToThread(proc, a.Int(0), a.Int(1));
        return LibC.Result(LibC.Syscall5(HostTkill, a.Int(0), a.Int(1), 0, 0, 0));
    }

    [Syscall(234, "tgkill", "ddd")]
    private static long Tgkill(LinuxProcess proc, in SyscallArgs a)
    {
        if (a.Int(0) <= 0 || a.Int(1) <= 0) return -Errno.EINVAL;
        if (a.Int(0) == LibC.Getpid()) return SendToThread(proc, a.Int(1), a.Int(2));
        return LibC.Result(LibC.Tgkill(a.Int(0), a.Int(1), a.Int(2)));
    }
}
