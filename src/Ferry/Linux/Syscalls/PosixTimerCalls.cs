using Ferry.Host;
using Ferry.Linux.Signals;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>timer_create, timer_settime, timer_gettime, timer_getoverrun and timer_delete, served by
/// <see cref="PosixTimer"/>. struct sigevent: sigev_value at 0, sigev_signo at 8, sigev_notify at 12,
/// the thread id at 16; struct itimerspec: it_interval then it_value, each a timespec.</summary>
internal static class PosixTimerCalls
{
    private const int TimerAbstime = 1;
    private const long NsPerSec = 1_000_000_000;

    [Syscall(222, "timer_create", "dpp")]
    private static long TimerCreate(LinuxProcess proc, in SyscallArgs a)
    {
        int clock = a.Int(0);
        if (PosixTimer.Now(clock) < 0) return -Errno.EINVAL;
        if (!Guest.Check(proc, a.A2, 4, PageFlags.Write)) return -Errno.EFAULT;
        int notify = PosixTimer.SigevSignal, signo = GuestSignal.SIGALRM, tid = 0;
        ulong value = 0;
        if (a.A1 != 0)
        {
            if (!Guest.Check(proc, a.A1, 64, PageFlags.Read)) return -Errno.EFAULT;
            value = proc.Memory.Read64(a.A1);
            signo = (int)proc.Memory.Read32(a.A1 + 8);
            notify = (int)proc.Memory.Read32(a.A1 + 12);
            tid = (int)proc.Memory.Read32(a.A1 + 16);
            if (notify is not (PosixTimer.SigevSignal or PosixTimer.SigevNone or PosixTimer.SigevThreadId)) return -Errno.EINVAL;
            if (notify != PosixTimer.SigevNone && (signo < 1 || signo > SignalState.Count)) return -Errno.EINVAL;
            if (notify == PosixTimer.SigevThreadId && proc.FindThread(tid) == null) return -Errno.EINVAL;
        }
        bool defaults = a.A1 == 0;
        var p = proc;
        // Without a sigevent the value is the timer's id (SIGEV_SIGNAL, SIGALRM).
        int id = proc.AddTimer(n => new PosixTimer(p, n, clock, notify, signo, tid, defaults ? (ulong)n : value));
        if (id < 0) return -Errno.EAGAIN;
        proc.Memory.Write32(a.A2, (uint)id);
        return 0;
    }

    private static bool ReadSpec(LinuxProcess proc, ulong addr, out long interval, out long value)
    {
        var m = proc.Memory;
        long isec = (long)m.Read64(addr), insec = (long)m.Read64(addr + 8), vsec = (long)m.Read64(addr + 16), vnsec = (long)m.Read64(addr + 24);
        interval = value = 0;
        if (isec < 0 || vsec < 0 || insec is < 0 or >= NsPerSec || vnsec is < 0 or >= NsPerSec) return false;
        interval = isec > long.MaxValue / NsPerSec - 1 ? long.MaxValue / 2 : isec * NsPerSec + insec;
        value = vsec > long.MaxValue / NsPerSec - 1 ? long.MaxValue / 2 : vsec * NsPerSec + vnsec;
        return true;
    }

    private static void WriteSpec(LinuxProcess proc, ulong addr, (long Remaining, long Interval) v)
    {
        var m = proc.Memory;
        m.Write64(addr, (ulong)(v.Interval / NsPerSec));
        m.Write64(addr + 8, (ulong)(v.Interval % NsPerSec));
        m.Write64(addr + 16, (ulong)(v.Remaining / NsPerSec));
        m.Write64(addr + 24, (ulong)(v.Remaining % NsPerSec));
    }

    [Syscall(223, "timer_settime", "dxpp")]
    private static long TimerSettime(LinuxProcess proc, in SyscallArgs a)
    {
        var t = proc.FindTimer(a.Int(0));
        if (t == null) return -Errno.EINVAL;
        if (!Guest.Check(proc, a.A2, 32, PageFlags.Read)) return -Errno.EFAULT;
        if (a.A3 != 0 && !Guest.Check(proc, a.A3, 32, PageFlags.Write)) return -Errno.EFAULT;
        if (!ReadSpec(proc, a.A2, out long interval, out long value)) return -Errno.EINVAL;
        var old = t.Set(value, interval, (a.Int(1) & TimerAbstime) != 0);
        if (a.A3 != 0) WriteSpec(proc, a.A3, old);
        return 0;
    }

    [Syscall(224, "timer_gettime", "dp")]
    private static long TimerGettime(LinuxProcess proc, in SyscallArgs a)
    {
        var t = proc.FindTimer(a.Int(0));
        if (t == null) return -Errno.EINVAL;
        if (!Guest.Check(proc, a.A1, 32, PageFlags.Write)) return -Errno.EFAULT;
        WriteSpec(proc, a.A1, t.Get());
        return 0;
    }

    [Syscall(225, "timer_getoverrun", "d")]
    private static long TimerGetoverrun(LinuxProcess proc, in SyscallArgs a) =>
        proc.FindTimer(a.Int(0)) is { } t ? t.Overrun : -Errno.EINVAL;

    [Syscall(226, "timer_delete", "d")]
    private static long TimerDelete(LinuxProcess proc, in SyscallArgs a) => proc.DeleteTimer(a.Int(0)) ? 0 : -Errno.EINVAL;
}
