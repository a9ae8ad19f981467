using System.Diagnostics;
using Ferry.Memory;

namespace Ferry.Linux.Threads;

/// <summary>Futex wait queues keyed by guest address. One process's guest threads all share it; the
/// value check and the enqueue happen under one lock, so a wake between them cannot be lost.</summary>
public sealed class FutexTable
{
    private sealed class Waiter
    {
        public ulong Address;
        public uint Bitset;
        public bool Woken;
    }

    private readonly Dictionary<ulong, List<Waiter>> _queues = new();
    private readonly Lock _lock = new();

    /// <summary>Blocks while the 32-bit word at <paramref name="addr"/> holds <paramref name="expected"/>,
    /// until woken or until <paramref name="deadline"/> (a Stopwatch timestamp; null waits forever), or until
    /// <paramref name="interrupted"/> says the thread has something else to do (a signal, an exit).
    /// Returns 0, -EAGAIN, -ETIMEDOUT, -EINTR or -EFAULT.</summary>
    public long Wait(GuestMemory mem, ulong addr, uint expected, uint bitset, long? deadline, GuestThread? thread = null, Func<bool>? interrupted = null, int pollMilliseconds = Timeout.Infinite)
    {
        if ((addr & 3) != 0) return -Errno.EINVAL;
        if (!mem.CanAccess(addr, 4, PageFlags.Read)) return -Errno.EFAULT;
        var w = new Waiter { Address = addr, Bitset = bitset };
        lock (_lock)
        {
            if (mem.Read32(addr) != expected) return -Errno.EAGAIN;
            if (!_queues.TryGetValue(addr, out var q)) _queues[addr] = q = new List<Waiter>();
            q.Add(w);
        }
        if (thread != null) thread.Waiter = w;
        try
        {
            lock (w)
            {
                while (!w.Woken)
                {
                    if (interrupted != null && interrupted())
                    {
                        lock (_lock)
                        {
                            if (w.Woken) return 0;
                            Remove(w);
                        }
                        return -Errno.EINTR;
                    }
                    if (deadline is long d)
                    {
                        long left = d - Stopwatch.GetTimestamp();
                        var span = TimeSpan.FromTicks(Math.Max(1, left * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
                        if (pollMilliseconds != Timeout.Infinite && span.TotalMilliseconds > pollMilliseconds) span = TimeSpan.FromMilliseconds(pollMilliseconds);
                        if (left <= 0 || !Monitor.Wait(w, span) && !w.Woken)
                        {
                            if (Stopwatch.GetTimestamp() < d) continue;
                            lock (_lock)
                            {
                                if (w.Woken) return 0;
                                Remove(w);
                            }
                            return -Errno.ETIMEDOUT;
                        }
                    }
                    else Monitor.Wait(w, pollMilliseconds);
                }
            }
            return 0;
        }
        finally
        {
            if (thread != null) thread.Waiter = null;
        }
    }

    private void Remove(Waiter w)
    {
        if (_queues.TryGetValue(w.Address, out var q))
        {
            q.Remove(w);
            if (q.Count == 0) _queues.Remove(w.Address);
        }
    }

    /// <summary>Wakes up to <paramref name="count"/> waiters on <paramref name="addr"/> whose bitset meets <paramref name="bitset"/>.</summary>
    public int Wake(ulong addr, int count, uint bitset = uint.MaxValue)
    {
        var woken = new List<Waiter>();
        lock (_lock)
        {
            if (!_queues.TryGetValue(addr, out var q)) return 0;
            for (int n = 0; n < q.Count && woken.Count < count; n++)
                if ((q[n].Bitset & bitset) != 0) { woken.Add(q[n]); q.RemoveAt(n--); }
            if (q.Count == 0) _queues.Remove(addr);
            foreach (var w in woken) w.Woken = true;
        }
        foreach (var w in woken) lock (w) Monitor.PulseAll(w);
        return woken.Count;
    }

    /// <summary>FUTEX_CMP_REQUEUE/REQUEUE: wakes <paramref name="wake"/> waiters on <paramref name="addr"/> and moves up to
    /// <paramref name="requeue"/> others to <paramref name="addr2"/>; with <paramref name="expected"/>, only if the word still holds it.</summary>
    public long Requeue(GuestMemory mem, ulong addr, ulong addr2, int wake, int requeue, uint? expected)
    {
        var woken = new List<Waiter>();
        int moved = 0;
        lock (_lock)
        {
            if (expected is uint e)
            {
                if (!mem.CanAccess(addr, 4, PageFlags.Read)) return -Errno.EFAULT;
                if (mem.Read32(addr) != e) return -Errno.EAGAIN;
            }
            if (_queues.TryGetValue(addr, out var q))
            {
                while (q.Count > 0 && woken.Count < wake) { woken.Add(q[0]); q.RemoveAt(0); }
                while (q.Count > 0 && moved < requeue)
                {
                    var w = q[0];
                    q.RemoveAt(0);
                    w.Address = addr2;
                    if (!_queues.TryGetValue(addr2, out var q2)) _queues[addr2] = q2 = new List<Waiter>();
                    q2.Add(w);
                    moved++;
                }
                if (q.Count == 0) _queues.Remove(addr);
            }
            foreach (var w in woken) w.Woken = true;
        }
        foreach (var w in woken) lock (w) Monitor.PulseAll(w);
        return woken.Count + moved;
    }
}
