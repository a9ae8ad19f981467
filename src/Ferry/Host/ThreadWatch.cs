namespace Ferry.Host;

/// <summary>Looks at the process's other threads: whether each is asleep and how much CPU time it has had. The
/// /proc files of each thread stay open between looks and are read again with pread, so that a look costs a few
/// system calls per thread and allocates nothing: the shorter a look, the less a thread that wakes meanwhile is
/// missed, and an allocation could start a garbage collection.</summary>
internal sealed unsafe class ThreadWatch : IDisposable
{
    private readonly int _self;
    private int _statusFd = -1;
    private int _count;
    private int[] _statFds = new int[64], _schedFds = new int[64];
    private const int BufferSize = 1024;

    // Set when descriptors ran out (a guest at its RLIMIT_NOFILE): the looks then see nothing, as an unchecked
    // fork did, rather than wait for a set of threads they cannot read.
    private bool _blind;

    public ThreadWatch(int self)
    {
        _self = self;
        _statusFd = Open("/proc/self/status");
        _blind = _statusFd < 0;
    }

    /// <summary>Fills <paramref name="cpu"/> with the CPU time (ns) of each other thread, in a fixed order while
    /// the set of threads stays the same. Returns their count, or -1 when one of them is not asleep or the set of
    /// threads changed since the last look.</summary>
    public int Look(long[] cpu)
    {
        if (_blind) return 0;
        byte* buf = stackalloc byte[BufferSize];
        int threads = ThreadCount(buf);
        if (threads != _count + 1)
        {
            Reopen();
            return -1;
        }
        if (_count > cpu.Length) return -1;
        for (int n = 0; n < _count; n++)
        {
            // A thread that ended reads as an error or as nothing: the set changed.
            int len = (int)LibC.Pread(_statFds[n], buf, BufferSize, 0);
            if (len <= 0) { Reopen(); return -1; }
            // The state follows the parenthesised name, which may itself hold spaces or parentheses.
            int close = len - 1;
            while (close >= 0 && buf[close] != (byte)')') close--;
            char state = close >= 0 && close + 2 < len ? (char)buf[close + 2] : '?';
            if (state != 'S' && state != 'T' && state != 't' && state != 'Z' && state != 'X' && state != 'I') return -1;
            len = (int)LibC.Pread(_schedFds[n], buf, BufferSize, 0);
            if (len <= 0) { Reopen(); return -1; }
            long ns = 0;
            for (int i = 0; i < len && buf[i] >= (byte)'0' && buf[i] <= (byte)'9'; i++) ns = ns * 10 + (buf[i] - '0');
            cpu[n] = ns;
        }
        return _count;
    }

    // The "Threads:" line of /proc/self/status.
    private int ThreadCount(byte* buf)
    {
        if (_statusFd < 0) return -1;
        int len = (int)LibC.Pread(_statusFd, buf, BufferSize - 1, 0);
        if (len <= 0) return -1;
        var text = new ReadOnlySpan<byte>(buf, len);
        int at = text.IndexOf("\nThreads:"u8);
        if (at < 0) return -1;
        int count = 0;
        for (int i = at + 9; i < len && buf[i] != (byte)'\n'; i++)
            if (buf[i] >= (byte)'0' && buf[i] <= (byte)'9') count = count * 10 + (buf[i] - '0');
        return count;
    }

    private void Reopen()
    {
        CloseThreads();
        string[] dirs;
        try { dirs = Directory.GetDirectories("/proc/self/task"); }
        catch (IOException) { _blind = true; return; } // EMFILE: the directory itself needs a descriptor
        foreach (var dir in dirs)
        {
            if (!int.TryParse(Path.GetFileName(dir), out int tid) || tid == _self) continue;
            int stat = Open(dir + "/stat");
            int sched = stat >= 0 ? Open(dir + "/schedstat") : -1;
            if (sched < 0)
            {
                int errno = LibC.Errno;
                if (errno == 24 /* EMFILE */ || errno == 23 /* ENFILE */) _blind = true;
                // Otherwise the thread ended while we looked; the next look sees the count differ and tries again.
                if (stat >= 0) LibC.Close(stat);
                continue;
            }
            if (_count == _statFds.Length)
            {
                Array.Resize(ref _statFds, _count * 2);
                Array.Resize(ref _schedFds, _count * 2);
            }
            _statFds[_count] = stat;
            _schedFds[_count++] = sched;
        }
    }

    private static int Open(string path) => LibC.OpenPath(path, 0x80000 /* O_RDONLY|O_CLOEXEC */);

    private void CloseThreads()
    {
        for (int n = 0; n < _count; n++)
        {
            LibC.Close(_statFds[n]);
            LibC.Close(_schedFds[n]);
        }
        _count = 0;
    }

    /// <summary>Closes every descriptor (in a forked child too, whose guest must not see them).</summary>
    public void Dispose()
    {
        CloseThreads();
        if (_statusFd >= 0) LibC.Close(_statusFd);
        _statusFd = -1;
    }
}
