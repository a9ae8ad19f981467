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
        /// <summary>A FUTEX_LOCK_PI waiter: the guest tid it takes the lock for when handed it.</summary>
        public int PiTid;
    }

    /// <summary>The bits of a PI or robust futex word besides the owner's tid.</summary>
    public const uint Waiters = 0x80000000, OwnerDied = 0x40000000, TidMask = 0x3FFFFFFF;

    private const int Edeadlk = 35;

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
        return Block(w, deadline, thread, interrupted, pollMilliseconds);
    }

    // Sleeps until the waiter is woken (0), the deadline passes (-ETIMEDOUT) or the thread is interrupted
    // (-EINTR); a waiter that gives up leaves its queue under the table's lock, so a wake is never half-taken.
    private long Block(Waiter w, long? deadline, GuestThread? thread, Func<bool>? interrupted, int pollMilliseconds)
    {
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
                if (q[n].PiTid == 0 && (q[n].Bitset & bitset) != 0) { woken.Add(q[n]); q.RemoveAt(n--); }
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
                // Onto the same word the waiters stay where they are, in their order; Linux still counts them.
                if (addr2 == addr) moved = Math.Min(q.Count, requeue);
                while (addr2 != addr && q.Count > 0 && moved < requeue)
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

    /// <summary>FUTEX_LOCK_PI/LOCK_PI2 for guest thread <paramref name="tid"/>: takes a free word (keeping
    /// OWNER_DIED), else sets FUTEX_WAITERS and sleeps until an unlock or an owner's death hands the word
    /// over. Returns 0, -EDEADLK, -ETIMEDOUT, -EINTR, -EFAULT or -EINVAL.</summary>
    public long LockPi(GuestMemory mem, ulong addr, int tid, long? deadline, bool tryOnly, GuestThread? thread = null, Func<bool>? interrupted = null, int pollMilliseconds = Timeout.Infinite)
    {
        if ((addr & 3) != 0) return -Errno.EINVAL;
        if (!mem.CanAccess(addr, 4, PageFlags.Read | PageFlags.Write)) return -Errno.EFAULT;
        var w = new Waiter { Address = addr, Bitset = uint.MaxValue, PiTid = tid };
        lock (_lock)
        {
            while (true)
            {
                uint val = mem.Read32(addr);
                if ((val & TidMask) == (uint)tid) return -Edeadlk;
                if ((val & TidMask) == 0)
                {
                    // Free (or its owner died): ours, with FUTEX_WAITERS kept while others still sleep here.
                    uint mine = (uint)tid | (val & OwnerDied) | (HasPiWaiters(addr) ? Waiters : 0);
                    if ((uint)mem.CompareExchange(addr, 4, val, mine) == val) return 0;
                    continue;
                }
                if (tryOnly) return -Errno.EAGAIN;
                if ((val & Waiters) != 0 || (uint)mem.CompareExchange(addr, 4, val, val | Waiters) == val) break;
            }
            if (!_queues.TryGetValue(addr, out var q)) _queues[addr] = q = new List<Waiter>();
            q.Add(w);
        }
        return Block(w, deadline, thread, interrupted, pollMilliseconds);
    }

    /// <summary>FUTEX_UNLOCK_PI by guest thread <paramref name="tid"/>: the first PI waiter becomes the owner
    /// (the word gets its tid and FUTEX_WAITERS, as the kernel writes it) or the word goes back to 0.</summary>
    public long UnlockPi(GuestMemory mem, ulong addr, int tid)
    {
        if ((addr & 3) != 0) return -Errno.EINVAL;
        if (!mem.CanAccess(addr, 4, PageFlags.Read | PageFlags.Write)) return -Errno.EFAULT;
        Waiter? next;
        lock (_lock)
        {
            while (true)
            {
                uint val = mem.Read32(addr);
                if ((val & TidMask) != (uint)tid) return -Errno.EPERM;
                next = FirstPiWaiter(addr);
                uint nv = next == null ? 0 : (uint)next.PiTid | Waiters;
                if ((uint)mem.CompareExchange(addr, 4, val, nv) == val) break;
            }
            if (next != null) TakeWaiter(next);
        }
        if (next != null) lock (next) Monitor.PulseAll(next);
        return 0;
    }

    /// <summary>A PI word whose owner died (the robust list walk left it OWNER_DIED with no owner): the first
    /// PI waiter takes it, as the kernel's rt-mutex hands it on, and sees OWNER_DIED.</summary>
    public void HandOffDeadPi(GuestMemory mem, ulong addr)
    {
        Waiter? next;
        lock (_lock)
        {
            uint val = mem.Read32(addr);
            next = FirstPiWaiter(addr);
            if (next == null || (val & TidMask) != 0) return;
            TakeWaiter(next);
            uint nv = (uint)next.PiTid | OwnerDied | (HasPiWaiters(addr) ? Waiters : 0);
            mem.CompareExchange(addr, 4, val, nv);
        }
        lock (next) Monitor.PulseAll(next);
    }

    private Waiter? FirstPiWaiter(ulong addr) =>
        _queues.TryGetValue(addr, out var q) ? q.FirstOrDefault(x => x.PiTid != 0) : null;

    private bool HasPiWaiters(ulong addr) => FirstPiWaiter(addr) != null;

    private void TakeWaiter(Waiter w)
    {
        Remove(w);
        w.Woken = true;
    }
}
