using System.Diagnostics;
using Ferry.Host;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>The blocking part of poll, select and epoll_wait, and of ppoll, pselect6, epoll_pwait and epoll_pwait2,
/// which replace the thread's signal mask for the wait. As on Linux: ready descriptors win over signals; then a
/// signal that the mask in force leaves unblocked, pending at entry or arriving during the wait, ends it with EINTR
/// (never restarted after a handler), and a temporary mask stays in force until the handler's frame is set up (it
/// records the old mask), so the handler runs with it and returns to the old one; otherwise the old mask comes back
/// as the call returns. The guest's signals are Ferry's, so the host call itself waits with the host's mask: what
/// ends it early is Ferry's wake-up signal, which senders aim at the threads whose mask in force does not block
/// theirs.</summary>
internal static class MaskedWait
{
    /// <summary>One host wait of at most <paramref name="timeoutNs"/> nanoseconds (negative: no limit; 0: a look).
    /// Returns how many descriptors are ready, 0, or -errno.</summary>
    public delegate long HostWait(long timeoutNs);

    /// <summary>Reads a sigset_t argument with its size: a null pointer is no mask (no change), another size than 8
    /// is EINVAL, an unreadable set EFAULT. Returns 0 or -errno.</summary>
    public static long ReadMask(LinuxProcess proc, ulong addr, ulong size, out ulong? mask)
    {
        mask = null;
        if (addr == 0) return 0;
        if (size != 8) return -Errno.EINVAL;
        if (!Guest.Check(proc, addr, 8, PageFlags.Read)) return -Errno.EFAULT;
        mask = proc.Memory.Read64(addr);
        return 0;
    }

    /// <summary>The Stopwatch timestamp when a wait of <paramref name="timeoutNs"/> ends; long.MaxValue for a negative
    /// (no) timeout.</summary>
    public static long Deadline(long timeoutNs)
    {
        if (timeoutNs < 0) return long.MaxValue;
        Int128 ticks = (Int128)timeoutNs * Stopwatch.Frequency / 1_000_000_000;
        return Stopwatch.GetTimestamp() + (long)Int128.Min(ticks, long.MaxValue / 4);
    }

    /// <summary>Nanoseconds left until <paramref name="deadline"/>, never negative.</summary>
    public static long Left(long deadline)
    {
        long ticks = deadline - Stopwatch.GetTimestamp();
        if (ticks <= 0) return 0;
        return (long)Int128.Min((Int128)ticks * 1_000_000_000 / Stopwatch.Frequency, long.MaxValue);
    }

    /// <summary>Linux's write-back of the time left into the guest's timespec (or timeval) at <paramref name="addr"/>, done
    /// by select, pselect6 and ppoll whatever their result, except for a zero timeout. A restarted call thus waits only
    /// for what was left.</summary>
    public static void WriteTimeLeft(LinuxProcess proc, ulong addr, long deadline, bool timeval)
    {
        if (addr == 0 || deadline == long.MaxValue || !Guest.Check(proc, addr, 16, PageFlags.Write)) return;
        long left = Left(deadline);
        proc.Memory.Write64(addr, (ulong)(left / 1_000_000_000));
        proc.Memory.Write64(addr + 8, (ulong)(timeval ? left % 1_000_000_000 / 1000 : left % 1_000_000_000));
    }

    /// <summary>Waits with <paramref name="wait"/> until a descriptor is ready, <paramref name="deadline"/> (a Stopwatch
    /// timestamp, long.MaxValue for none) passes, or the thread has something else to do. <paramref name="mask"/>, when
    /// not null, is the mask in force meanwhile. <paramref name="lookIgnoresSignals"/> is epoll's zero timeout: only a
    /// look, 0 even with a signal pending (ppoll and pselect6 fail with EINTR then).</summary>
    public static long Run(LinuxProcess proc, ulong? mask, long deadline, bool lookIgnoresSignals, HostWait wait)
    {
        var t = proc.CurrentThread;
        if (mask is { } m) proc.SetTemporaryMask(t, m);
        long sliceNs = proc.WaitSliceMilliseconds == Timeout.Infinite ? -1 : proc.WaitSliceMilliseconds * 1_000_000L;
        while (true)
        {
            if (proc.ForwardHostSignals) HostSignals.Poll();
            // A signal to take, a fork or exec elsewhere, the end: only look at the descriptors, which win.
            bool work = proc.HasWork(t);
            long left = deadline == long.MaxValue ? -1 : Left(deadline);
            long ns = work ? 0 : left;
            if (sliceNs >= 0 && (ns < 0 || ns > sliceNs)) ns = sliceNs;
            long r = wait(ns);
            if (r == -Errno.EINTR)
            {
                // Ferry's wake-up or a host signal: whatever it brought is looked at in the next round.
                if (proc.ForwardHostSignals) HostSignals.Drain();
                continue;
            }
            if (r != 0 || lookIgnoresSignals) return Done(proc, t, r);
            // The temporary mask stays for the safe point that takes the signal (or restarts the call and waits for a
            // fork elsewhere to end, with the time left written back by the caller).
            if (work) return -Errno.EINTR;
            if (left >= 0 && ns == left) return Done(proc, t, 0);
        }
    }

    private static long Done(LinuxProcess proc, Threads.GuestThread t, long r)
    {
        proc.RestoreSavedMask(t);
        return r;
    }
}
