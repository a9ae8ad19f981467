using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ferry.Host;

/// <summary>Forks the host process once every other host thread is asleep. The runtime's own threads
/// (the tiered compiler above all) may hold a JIT or loader lock while they work, and a thread caught in
/// managed code would leave the child's garbage collector waiting for it forever: the child has none
/// of them. A thread counts as asleep when it is in state S and has not run between two looks. The
/// methods here are compiled once, fully optimised, so that nothing between the last look and the fork
/// wakes the tiered compiler.</summary>
internal static unsafe class RuntimeQuiescence
{
    private static readonly delegate* unmanaged<int> ForkFn =
        (delegate* unmanaged<int>)NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "fork");

    /// <summary>fork(2) after waiting (at most <paramref name="maxMilliseconds"/>) for the other threads to sleep.
    /// Returns the child's pid, 0 in the child, or minus errno.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static int Fork(int maxMilliseconds)
    {
        int self = LibC.Gettid();
        long deadline = Environment.TickCount64 + maxMilliseconds;
        var last = new long[256];
        var now = new long[256];
        int lastCount = -1;
        // A garbage collection wakes the finalizer thread, which then frees collected dynamic methods (the JIT's
        // translations) under the runtime's code heap lock. The looks below allocate, so a collection can start
        // during the last of them and the finalizer run after it: a child forked then inherited that lock held
        // by a thread it lacks and hung at its next JIT compilation (the lock's owner was the parent's finalizer).
        // So a pair of looks counts only if no collection came between its first look and the fork; nothing
        // after the last look allocates, and the other managed threads are stopped.
        GlibcStackCache.Prepare();
        int collections = GC.CollectionCount(0);
        while (Environment.TickCount64 < deadline)
        {
            int count = Snapshot(self, now);
            int after = GC.CollectionCount(0);
            bool same = count >= 0 && count == lastCount && after == collections;
            for (int n = 0; same && n < count; n++) same = now[n] == last[n];
            if (same) break;
            collections = after;
            (last, now) = (now, last);
            lastCount = count;
            Thread.SpinWait(2000);
        }
        int pid = ForkFn();
        if (pid == 0) GlibcStackCache.Forget(true);
        return pid < 0 ? -Marshal.GetLastSystemError() : pid;
    }

    /// <summary>Fills <paramref name="into"/> with tid and CPU time pairs of the other threads; -1 when one of
    /// them is not asleep.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static int Snapshot(int self, long[] into)
    {
        int n = 0;
        foreach (var dir in Directory.GetDirectories("/proc/self/task"))
        {
            if (!long.TryParse(Path.GetFileName(dir), out long tid) || tid == self) continue;
            try
            {
                string stat = File.ReadAllText(dir + "/stat");
                // The state follows the parenthesised name, which may itself hold spaces or parentheses.
                int close = stat.LastIndexOf(')');
                char state = close >= 0 && close + 2 < stat.Length ? stat[close + 2] : '?';
                if (state != 'S' && state != 'T' && state != 't' && state != 'Z' && state != 'X' && state != 'I') return -1;
                string sched = File.ReadAllText(dir + "/schedstat");
                int sp = sched.IndexOf(' ');
                if (n + 2 > into.Length) return -1;
                into[n++] = tid;
                into[n++] = long.Parse(sp > 0 ? sched.AsSpan(0, sp) : sched.AsSpan());
            }
            catch (IOException) { /* the thread ended while we looked */ }
        }
        return n;
    }
}
