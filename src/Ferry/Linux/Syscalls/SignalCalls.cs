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
        var rax = SignalFrame.Return(a.Cpu, proc.Signals);
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
        var b = BitConverter.GetBytes(proc.PendingSignals & proc.Signals.Blocked);
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
        if (info.Code >= 0 || info.Code == SignalInfo.SiTkill) return -Errno.EPERM;
        if (a.Int(0) != LibC.Getpid()) return -Errno.ESRCH;
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
        if (info.Code >= 0 || info.Code == SignalInfo.SiTkill) return -Errno.EPERM;
        if (a.Int(0) != LibC.Getpid() || a.Int(1) != LibC.Getpid()) return -Errno.ESRCH;
        if (sig != 0) proc.Raise(info);
        return 0;
    }

    [Syscall(128, "rt_sigtimedwait", "pppd")]
    private static long RtSigtimedwait(LinuxProcess proc, in SyscallArgs a)
    {
        if (a.A3 != 8) return -Errno.EINVAL;
        if (!Guest.Check(proc, a.A0, 8, PageFlags.Read)) return -Errno.EFAULT;
        if (a.A1 != 0 && !Guest.Check(proc, a.A1, 128, PageFlags.Write)) return -Errno.EFAULT;
        ulong set = proc.Memory.Read64(a.A0) & ~Unblockable;
        long timeoutNs = -1;
        if (a.A2 != 0)
        {
            if (!Guest.Check(proc, a.A2, 16, PageFlags.Read)) return -Errno.EFAULT;
            long sec = (long)proc.Memory.Read64(a.A2), nsec = (long)proc.Memory.Read64(a.A2 + 8);
            if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000) return -Errno.EINVAL;
            timeoutNs = sec * 1_000_000_000 + nsec;
        }
        var info = proc.Dequeue(set);
        if (info == null)
        {
            // Only this process can send itself signals so far, and it is waiting: nothing will arrive.
            if (timeoutNs != 0) Thread.Sleep(timeoutNs < 0 ? Timeout.Infinite : (int)Math.Min(int.MaxValue, timeoutNs / 1_000_000));
            return -Errno.EAGAIN;
        }
        if (a.A1 != 0) WriteInfo(proc, a.A1, info.Value);
        return info.Value.Signo;
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
        ulong temp = proc.Memory.Read64(a.A0) & ~Unblockable;
        // Handlers run with the temporary mask in force and return to the caller's mask.
        a.Cpu.State.Gpr[0] = unchecked((ulong)-Errno.EINTR);
        if (proc.DeliverPending(a.Cpu, temp) > 0 || proc.Exit != null) return -Errno.EINTR;
        Thread.Sleep(Timeout.Infinite);
        return -Errno.EINTR;
    }

    [Syscall(34, "pause")]
    private static long Pause(LinuxProcess proc, in SyscallArgs a)
    {
        Thread.Sleep(Timeout.Infinite);
        return -Errno.EINTR;
    }

    [Syscall(62, "kill", "dd")]
    private static long Kill(LinuxProcess proc, in SyscallArgs a)
    {
        int pid = a.Int(0);
        int self = LibC.Getpid();
        if (pid == self || pid == 0 && LibC.Getpgrp() == self) return SendToSelf(proc, a.Int(1), SignalInfo.SiUser);
        return LibC.Result(LibC.Kill(pid, a.Int(1)));
    }

    [Syscall(200, "tkill", "dd")]
    private static long Tkill(LinuxProcess proc, in SyscallArgs a) =>
        a.Int(0) == LibC.Getpid() ? SendToSelf(proc, a.Int(1), SignalInfo.SiTkill) : -Errno.ESRCH;

    [Syscall(234, "tgkill", "ddd")]
    private static long Tgkill(LinuxProcess proc, in SyscallArgs a)
    {
        int self = LibC.Getpid();
        if (a.Int(0) <= 0 || a.Int(1) <= 0) return -Errno.EINVAL;
        return a.Int(0) == self && a.Int(1) == self ? SendToSelf(proc, a.Int(2), SignalInfo.SiTkill) : -Errno.ESRCH;
    }
}
