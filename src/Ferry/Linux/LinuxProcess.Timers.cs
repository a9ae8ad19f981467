using Ferry.Linux.Signals;
using Ferry.Linux.Threads;

namespace Ferry.Linux;

// POSIX timers (timer_create): the process's table, and raising their signals.
public sealed partial class LinuxProcess
{
    private readonly Dictionary<int, PosixTimer> _timers = new();
    private readonly Lock _timersLock = new();

    /// <summary>The most timers a process may hold here (the kernel's limit is RLIMIT_SIGPENDING).</summary>
    private const int MaxTimers = 4096;

    /// <summary>Adds a timer under the lowest free id; -1 when there are too many.</summary>
    internal int AddTimer(Func<int, PosixTimer> make)
    {
        lock (_timersLock)
        {
            for (int id = 0; id < MaxTimers; id++)
                if (!_timers.ContainsKey(id)) { _timers[id] = make(id); return id; }
        }
        return -1;
    }

    internal PosixTimer? FindTimer(int id)
    {
        lock (_timersLock) return _timers.GetValueOrDefault(id);
    }

    internal bool DeleteTimer(int id)
    {
        PosixTimer? t;
        lock (_timersLock) if (!_timers.Remove(id, out t)) return false;
        // An expiry due by now has queued its signal on a kernel: it stays pending, to be dropped when taken.
        t.Expire();
        t.Dispose();
        return true;
    }

    /// <summary>Queues the signals of every timer due by now. Called where the guest looks at its pending
    /// signals: a kernel queues a timer's signal from the timer interrupt, so a guest that waited past an
    /// expiry finds it pending however late the host timer thread runs.</summary>
    internal void ExpireDueTimers()
    {
        PosixTimer[] all;
        lock (_timersLock)
        {
            if (_timers.Count == 0) return;
            all = _timers.Values.ToArray();
        }
        foreach (var t in all) t.Expire();
    }

    /// <summary>execve and fork: the new image, or the child, starts with no timers (timer_create(2)).</summary>
    internal void DeleteAllTimers()
    {
        PosixTimer[] all;
        lock (_timersLock)
        {
            all = _timers.Values.ToArray();
            _timers.Clear();
        }
        foreach (var t in all) t.Dispose();
    }
}
