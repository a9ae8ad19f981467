using Ferry.Decoding;
using Ferry.Memory;

namespace Ferry.Jit;

/// <summary>The process-wide compile thread: hot blocks are queued here and translated and compiled by
/// RyuJIT off the guest's threads, which keep interpreting the block until its code is published.</summary>
/// <remarks>The thread is a background thread (it never keeps the process alive) and starts on the first
/// request. A guest fork parks it first (<see cref="Park"/>): a thread caught inside RyuJIT would leave the
/// child without the JIT's locks' owner. The child has no worker and starts a new one on demand
/// (<see cref="AfterForkInChild"/>).</remarks>
public static unsafe class CompileWorker
{
    private readonly record struct Request(JitEngine Engine, Block Block, bool Region, GuestMemory Memory);

    // No monitor, no WaitHandle: the worker sleeps in a bare futex system call and the queue is guarded by a spin
    // lock. A thread parked in the runtime's own waits leaves the runtime's wait and sync-block bookkeeping
    // referring to it, and the forked child, which lacks the thread, failed on it (a SynchronizationLockException
    // on a fresh object in the child's new worker, one run in four with a threshold of 2 under load).
    private static readonly long HostFutex = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture ==
        System.Runtime.InteropServices.Architecture.X64 ? 202 : 98;
    private const int FutexWaitPrivate = 128, FutexWakePrivate = 129;

    // The futex word: bumped on every request and every end of a park, so a worker that found nothing to do
    // sleeps only if nothing came in since it looked.
    private static readonly int* Word = (int*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(64);
    private static int _spin;
    private static Queue<Request> _queue = new();
    private static Thread? _thread;
    private static volatile int _parks;
    private static volatile bool _busy;

    private static readonly bool Trace = Environment.GetEnvironmentVariable("FERRY_JIT_TRACE") == "1";

    /// <summary>False in a forked child: it compiles on the guest's own thread (see <see cref="AfterForkInChild"/>).</summary>
    public static bool Available { get; private set; } = true;

    /// <summary>Requests compiled since the process started (or forked).</summary>
    public static long Completed { get; private set; }

    private static void Acquire()
    {
        var spin = new SpinWait();
        while (Interlocked.CompareExchange(ref _spin, 1, 0) != 0) spin.SpinOnce(sleep1Threshold: -1);
    }

    private static void Release() => Volatile.Write(ref _spin, 0);

    private static void Wake()
    {
        Interlocked.Increment(ref *Word);
        Host.LibC.Syscall6(HostFutex, (long)Word, FutexWakePrivate, 1, 0, 0, 0);
    }

    internal static void Enqueue(JitEngine engine, Block b, bool region, GuestMemory memory)
    {
        bool start = false;
        Acquire();
        try
        {
            _queue.Enqueue(new Request(engine, b, region, memory));
            if (_thread == null)
            {
                _thread = new Thread(Loop) { IsBackground = true, Name = "ferry jit" };
                start = true;
            }
        }
        finally { Release(); }
        if (start) _thread!.Start();
        Wake();
    }

    private static bool TryTake(out Request r)
    {
        Acquire();
        try
        {
            if (_parks == 0 && _queue.TryDequeue(out r))
            {
                _busy = true;
                return true;
            }
            r = default;
            return false;
        }
        finally { Release(); }
    }

    private static void Loop()
    {
        while (true)
        {
            int seen = Volatile.Read(ref *Word);
            if (!TryTake(out var r))
            {
                Host.LibC.Syscall6(HostFutex, (long)Word, FutexWaitPrivate, seen, 0, 0, 0);
                continue;
            }
            try { r.Engine.CompileQueued(r.Block, r.Region, r.Memory); }
            catch (Exception e)
            {
                // A translator bug must not take the process down from this thread: the block stays interpreted.
                r.Block.Heat = int.MinValue;
                if (Trace) Console.Error.WriteLine($"ferry: jit: worker failed on 0x{r.Block.Start:x}: {e}");
            }
            Completed++;
            _busy = false;
        }
    }

    /// <summary>Waits until the worker is between requests and keeps it there until <see cref="Resume"/>
    /// (before a host fork). Requests may still be queued meanwhile.</summary>
    public static void Park()
    {
        Acquire();
        _parks++;
        Release();
        // A compilation takes milliseconds; the worker then finds _parks set and goes to sleep in the futex.
        while (_busy) Thread.Sleep(1);
    }

    /// <summary>Ends a <see cref="Park"/>.</summary>
    public static void Resume()
    {
        Acquire();
        _parks--;
        Release();
        Wake();
    }

    /// <summary>In a forked child: the worker did not come along. Requests it had not taken go back to being
    /// counted (their blocks compile when they are hot again) and a new worker starts on the next request.</summary>
    public static void AfterForkInChild()
    {
        foreach (var r in _queue) r.Engine.Requeue(r.Block);
        _queue = new Queue<Request>();
        _thread = null;
        // A compile thread started in a forked child made some children abort (SIGABRT, sometimes SIGSEGV, about
        // one fork in ten under load); the child's guest thread compiles for itself instead.
        Available = false;
        _parks = 0;
        _busy = false;
        _spin = 0;
    }

    /// <summary>Forgets the requests of <paramref name="engine"/> (exec replaced its code).</summary>
    internal static void Drop(JitEngine engine)
    {
        Acquire();
        try
        {
            if (_queue.Count > 0) _queue = new Queue<Request>(_queue.Where(r => r.Engine != engine));
        }
        finally { Release(); }
    }

    /// <summary>Waits until every request queued so far is done (tests).</summary>
    public static void Drain()
    {
        while (true)
        {
            Acquire();
            bool done = (_queue.Count == 0 || _parks > 0) && !_busy;
            Release();
            if (done) return;
            Thread.Sleep(1);
        }
    }
}
