using Ferry.Host;

namespace Ferry.Linux;

/// <summary>The guest's file descriptor numbers and the host descriptors behind them. Guest numbers
/// are allocated lowest-first as the kernel does, and never reach the runtime's own descriptors.</summary>
public sealed class FdTable
{
    private readonly Dictionary<int, int> _map = new();
    private readonly Lock _lock = new();

    /// <summary>The most descriptors a guest may hold (RLIMIT_NOFILE as the guest sees it).</summary>
    public int Limit { get; set; } = 1024;

    /// <summary>The host descriptor behind <paramref name="guestFd"/>, or -1.</summary>
    public int Host(long guestFd)
    {
        if (guestFd < 0 || guestFd > int.MaxValue) return -1;
        lock (_lock) return _map.TryGetValue((int)guestFd, out var h) ? h : -1;
    }

    /// <summary>Gives <paramref name="hostFd"/> the lowest free guest number at or above <paramref name="min"/>; -EMFILE if none.</summary>
    public int Add(int hostFd, int min = 0)
    {
        lock (_lock)
        {
            for (int g = min; g < Limit; g++)
                if (!_map.ContainsKey(g)) { _map[g] = hostFd; return g; }
        }
        return -Errno.EMFILE;
    }

    /// <summary>Binds <paramref name="guestFd"/> to <paramref name="hostFd"/>, returning the host descriptor it replaced (or -1).</summary>
    public int Set(int guestFd, int hostFd)
    {
        lock (_lock)
        {
            int old = _map.TryGetValue(guestFd, out var h) ? h : -1;
            _map[guestFd] = hostFd;
            return old;
        }
    }

    /// <summary>Unbinds <paramref name="guestFd"/>, returning its host descriptor (or -1).</summary>
    public int Remove(long guestFd)
    {
        if (guestFd < 0 || guestFd > int.MaxValue) return -1;
        lock (_lock) return _map.Remove((int)guestFd, out var h) ? h : -1;
    }

    /// <summary>Guest numbers in use, ascending.</summary>
    public int[] GuestFds()
    {
        lock (_lock) return _map.Keys.Order().ToArray();
    }

    /// <summary>Guest numbers with their host descriptors, ascending.</summary>
    public (int Guest, int Host)[] Pairs()
    {
        lock (_lock) return _map.OrderBy(kv => kv.Key).Select(kv => (kv.Key, kv.Value)).ToArray();
    }

    /// <summary>execve: closes the descriptors marked close-on-exec (the mark lives on the host descriptor).</summary>
    public void CloseOnExec()
    {
        lock (_lock)
        {
            foreach (var (g, h) in _map.ToArray())
            {
                int fl = LibC.Fcntl(h, 1 /* F_GETFD */, 0);
                if (fl >= 0 && (fl & 1) == 0) continue;
                _map.Remove(g);
                Signals.SignalFd.Closed(h);
                Proc.CommFile.Closed(h);
                LibC.Close(h);
            }
        }
    }

    /// <summary>Closes every host descriptor of the table except those in <paramref name="keep"/>.</summary>
    public void CloseAll(ISet<int>? keep = null)
    {
        lock (_lock)
        {
            // A Dictionary<int, int> like the map itself rather than Distinct(), whose generic code over int has
            // no ReadyToRun form and was JIT-compiled at the end of every run.
            var closed = new Dictionary<int, int>();
            foreach (var h in _map.Values)
                if (closed.TryAdd(h, 0) && (keep == null || !keep.Contains(h))) LibC.Close(h);
            _map.Clear();
        }
    }
}
