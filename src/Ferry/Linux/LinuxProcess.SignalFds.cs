using System.Runtime.InteropServices;
using Ferry.Host;
using Ferry.Linux.Signals;

namespace Ferry.Linux;

// What signalfd needs from the signal code: to hear when the pending sets change, and the facts of a
// SIGCHLD that reaches the host (the forwarder passes on only its number).
public sealed unsafe partial class LinuxProcess
{
    /// <summary>Every signal pending for the process or for any of its threads.</summary>
    internal ulong AnyPending()
    {
        ulong set = _pending.Set;
        lock (_threadsLock) foreach (var x in _threads) set |= x.Pending.Set;
        return set;
    }

    /// <summary>Called whenever a signal becomes pending or stops being pending.</summary>
    private void PendingChanged() => SignalFd.Changed(this, AnyPending());

    /// <summary>A signal was taken from a pending queue (for a handler, sigwaitinfo or a signalfd read): a
    /// timer's siginfo gets the overruns counted until now, as the kernel fills si_overrun at delivery. Null
    /// for a timer's signal that the kernel would drop: the timer was set again or deleted since it was
    /// queued.</summary>
    private SignalInfo? Dequeued(SignalInfo info)
    {
        PendingChanged();
        if (info.Code != PosixTimer.SiTimer) return info;
        return FindTimer(info.Pid)?.Delivered() is int overrun ? info with { Uid = (uint)overrun } : null;
    }

    // Set while the pending SIGCHLD lacks its facts: the guest's wait reaped the child before the
    // forwarder could look at it.
    private bool _childInfoMissing;

    /// <summary>A guest wait reaped child <paramref name="pid"/> with wait status <paramref name="status"/>
    /// (after the SIGCHLD that reached the host by then was handed on): a SIGCHLD still pending without
    /// its facts gets this child's.</summary>
    internal void ChildReaped(int pid, int status)
    {
        lock (HostSignals.Gate)
        {
            if (!_childInfoMissing) return;
            _childInfoMissing = false;
            int sig = status & 0x7f;
            var (code, value) = sig == 0 ? (1 /* CLD_EXITED */, (status >> 8) & 0xff)
                : sig == 0x7f ? (5 /* CLD_STOPPED */, (status >> 8) & 0xff)
                : status == 0xffff ? (6 /* CLD_CONTINUED */, GuestSignal.SIGCONT)
                : ((status & 0x80) != 0 ? 3 /* CLD_DUMPED */ : 2 /* CLD_KILLED */, sig);
            var taken = _pending.Take(1UL << (GuestSignal.SIGCHLD - 1));
            if (taken == null) return;
            _pending.Add(taken.Value.Pid == 0 ? new SignalInfo(GuestSignal.SIGCHLD, code, Pid: pid, Uid: LibC.Getuid(), Value: (uint)value) : taken.Value);
        }
    }

    private static readonly long HostWaitid = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 247 : 95;

    /// <summary>The siginfo of a SIGCHLD the host received: the kernel's si_code, pid, uid and status of a
    /// child that has changed state, looked at without reaping it (WNOWAIT), so the guest's wait still finds
    /// it. A plain SI_USER when no child is waiting: someone ran kill -CHLD, or the guest's wait reaped the
    /// child first (then <see cref="ChildReaped"/> fills in the facts).</summary>
    private SignalInfo ChildInfo()
    {
        byte* si = stackalloc byte[128];
        new Span<byte>(si, 128).Clear();
        const int pAll = 0, wExitedStoppedContinued = 4 | 2 | 8, wNohang = 1, wNowait = 0x1000000;
        long r = LibC.Syscall5(HostWaitid, pAll, 0, (long)si, wExitedStoppedContinued | wNohang | wNowait, 0);
        int pid = *(int*)(si + 16);
        _childInfoMissing = r != 0 || pid == 0;
        if (_childInfoMissing) return new SignalInfo(GuestSignal.SIGCHLD, SignalInfo.SiUser);
        return new SignalInfo(GuestSignal.SIGCHLD, *(int*)(si + 8), Pid: pid, Uid: *(uint*)(si + 20), Value: *(uint*)(si + 24));
    }
}
