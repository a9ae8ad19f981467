using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ferry.Host;

/// <summary>Forks the host process once every other host thread is asleep. The runtime's own threads
/// (the finalizer above all) may hold a JIT or loader lock while they work, and a thread caught in
/// managed code would leave the child's garbage collector waiting for it forever: the child has none
/// of them. A thread counts as asleep when it is in state S and has not run between two looks. Looks
/// cannot stop a thread from waking right after the last of them, so the parent looks once more after
/// the fork: if any thread ran meanwhile, or a collection came, the child may have copied a lock in use
/// and is killed before it did anything, and the fork is tried again. The child waits for the parent's
/// word on a pipe before it returns. The methods here are compiled once, fully optimised, so that
/// nothing between the last look and the fork wakes a compiler.</summary>
internal static unsafe class RuntimeQuiescence
{
    private static readonly delegate* unmanaged<int> ForkFn =
        (delegate* unmanaged<int>)NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "fork");

    // A fork is tried again for at most this long: a process whose threads never keep still still forks.
    private const int RetryMilliseconds = 10_000;

    /// <summary>How many children have been killed unseen because a thread ran while they were forked (for
    /// tests and for <c>--strace</c>-like diagnostics).</summary>
    public static int Discarded { get; private set; }

    /// <summary>fork(2) after waiting (at most <paramref name="maxMilliseconds"/> per try) for the other threads to
    /// sleep. Returns the child's pid, 0 in the child, or minus errno. <paramref name="discarded"/> is called with
    /// the pid of each child killed unseen, before the fork is tried again (its SIGCHLD is not the guest's).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static int Fork(int maxMilliseconds, Action<int>? discarded = null)
    {
        using var watch = new ThreadWatch(LibC.Gettid());
        var last = new long[256];
        var now = new long[256];
        var after = new long[256];
        GlibcStackCache.Prepare();
        int* word = stackalloc int[2];
        // Without a pipe (no descriptor left) the child cannot be held back: fork as before, unchecked.
        bool check = LibC.Pipe2(word, 0x80000 /* O_CLOEXEC */) == 0;
        long giveUp = Environment.TickCount64 + RetryMilliseconds;
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                int count = WaitForQuiet(watch, Environment.TickCount64 + maxMilliseconds, ref last, ref now, out int collections);
                int pid = ForkFn();
                if (pid < 0) return -Marshal.GetLastSystemError();
                if (pid == 0)
                {
                    if (check && !AwaitWord(word)) LibC.Exit(127);
                    GlibcStackCache.Forget(true);
                    return 0;
                }
                bool clean = count >= 0 && GC.CollectionCount(0) == collections && watch.Look(after) == count;
                for (int n = 0; clean && n < count; n++) clean = after[n] == now[n];
                if (!check || clean || Environment.TickCount64 >= giveUp)
                {
                    if (check) { byte go = 1; LibC.Write(word[1], &go, 1); }
                    return pid;
                }
                // The child may hold a copy of a lock some thread took after the last look: it is killed before it
                // returned from fork, and reaped here, so the guest never sees it.
                LibC.Kill(pid, 9);
                int status;
                while (LibC.Wait4(pid, &status, 0x40000000 /* __WALL */, null) < 0 && LibC.Errno == 4 /* EINTR */) { }
                Discarded++;
                discarded?.Invoke(pid);
                // A thread that wakes at a period shorter than the looks and the fork take together would be caught
                // every time if the next try started in step with it.
                Thread.Sleep(Random.Shared.Next(4));
            }
        }
        finally
        {
            if (check && word[0] >= 0) { LibC.Close(word[0]); LibC.Close(word[1]); }
        }
    }

    /// <summary>Looks at the other threads until two looks in a row find them all asleep, unchanged, with no
    /// collection between (or until the deadline). Returns the thread count of the last look (its tid and CPU time
    /// times are then in <paramref name="now"/>), or -1 at the deadline.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static int WaitForQuiet(ThreadWatch watch, long deadline, ref long[] last, ref long[] now, out int collections)
    {
        int lastCount = -1;
        // A garbage collection wakes the finalizer thread, which then frees collected dynamic methods (the JIT's
        // translations) under the runtime's code heap lock: a pair of looks counts only if no collection came
        // between its first look and its second.
        collections = GC.CollectionCount(0);
        while (true)
        {
            int count = watch.Look(now);
            int gcs = GC.CollectionCount(0);
            bool same = count >= 0 && count == lastCount && gcs == collections;
            for (int n = 0; same && n < count; n++) same = now[n] == last[n];
            if (same) return count;
            if (Environment.TickCount64 >= deadline) return -1;
            collections = gcs;
            (last, now) = (now, last);
            lastCount = count;
            Thread.SpinWait(2000);
        }
    }

    /// <summary>In the child: waits for the parent's word that the fork counts (false when the parent is gone).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static bool AwaitWord(int* word)
    {
        byte go = 0;
        nint r;
        while ((r = LibC.Read(word[0], &go, 1)) < 0 && LibC.Errno == 4 /* EINTR */) { }
        LibC.Close(word[0]);
        LibC.Close(word[1]);
        word[0] = word[1] = -1;
        return r == 1 && go == 1;
    }
}
