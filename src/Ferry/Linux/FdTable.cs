using Ferry.Host;

namespace Ferry.Linux;

/// <summary>The guest's file descriptor numbers and the host descriptors behind them. Guest numbers
/// are allocated lowest-first as the kernel does, and never reach the runtime's own descriptors.</summary>
public sealed class FdTable
{
    private readonly Dictionary<int, int> _map = new();
    private readonly Lock _lock = new();

    /// <summary>The most descriptors a guest may hold: its RLIMIT_NOFILE soft limit. The guest's limits on descriptors
    /// are its own, not the host process's: Ferry's own descriptors (the runtime's, its pipes) must not count against
    /// them, nor must a guest that lowers them starve Ferry. They start as the host's.</summary>
    public int Limit { get; private set; }

    /// <summary>One more than the highest guest number in use (0 when none is).</summary>
    public int End
    {
        get
        {
            lock (_lock) return _map.Count == 0 ? 0 : _map.Keys.Max() + 1;
        }
    }

    /// <summary>The guest's RLIMIT_NOFILE hard limit.</summary>
    public int HardLimit { get; private set; }

    public unsafe FdTable()
    {
        ulong* lim = stackalloc ulong[2];
        if (LibC.Prlimit(0, NoFile, null, lim) != 0) lim[0] = lim[1] = 1024;
        Limit = (int)Math.Min(lim[0], int.MaxValue);
        HardLimit = (int)Math.Min(lim[1], int.MaxValue);
    }

    private const int NoFile = 7;

    /// <summary>setrlimit(RLIMIT_NOFILE) for the guest, checked as Linux checks it: EINVAL for a soft limit above the
    /// hard one; raising the hard limit needs the privilege the host grants (the host's own hard limit is raised
    /// then, or its refusal returned). Returns 0 or -errno.</summary>
    public unsafe long SetLimits(ulong soft, ulong hard)
    {
        if (soft > hard) return -Errno.EINVAL;
        if (hard > (ulong)HardLimit)
        {
            ulong* host = stackalloc ulong[2];
            if (LibC.Prlimit(0, NoFile, null, host) != 0) return -LibC.Errno;
            host[1] = hard;
            if (host[0] > hard) host[0] = hard;
            if (LibC.Prlimit(0, NoFile, host, null) != 0) return -LibC.Errno;
        }
        Limit = (int)Math.Min(soft, int.MaxValue);
        HardLimit = (int)Math.Min(hard, int.MaxValue);
        return 0;
    }

    /// <summary>Before the host runs another program in this process: the guest's limits become the host's, which the
    /// program inherits.</summary>
    public unsafe void ApplyLimitsToHost()
    {
        ulong* lim = stackalloc ulong[2];
        lim[0] = (ulong)Limit;
        lim[1] = (ulong)HardLimit;
        LibC.Prlimit(0, NoFile, lim, null);
    }

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
