using Ferry.Decoding;
using Ferry.Memory;

namespace Ferry.Jit;

/// <summary>The process-wide compile thread: hot blocks are queued here and translated and compiled by
/// RyuJIT off the guest's threads, which keep interpreting the block until its code is published.</summary>
/// <remarks>The thread is a background thread (it never keeps the process alive) and starts on the first
/// request. A guest fork parks it first (<see cref="Park"/>): a thread caught inside RyuJIT would leave the
/// child without the JIT's locks' owner. The child has no worker and starts a new one on demand
/// (<see cref="AfterForkInChild"/>).</remarks>
public static class CompileWorker
{
    private readonly record struct Request(JitEngine Engine, Block Block, bool Region, GuestMemory Memory);

    // Replaced in a forked child: the parent's worker may have been waiting on it, and a monitor would
    // still count a waiter that does not exist there.
    private static readonly bool Trace = Environment.GetEnvironmentVariable("FERRY_JIT_TRACE") == "1";

    private static object _gate = new();
    private static Queue<Request> _queue = new();
    private static Thread? _thread;
    private static int _parks;
    private static bool _busy;

    /// <summary>Requests compiled since the process started (or forked).</summary>
    public static long Completed { get; private set; }

    internal static void Enqueue(JitEngine engine, Block b, bool region, GuestMemory memory)
    {
        lock (_gate)
        {
            _queue.Enqueue(new Request(engine, b, region, memory));
            if (_thread == null)
            {
                _thread = new Thread(Loop) { IsBackground = true, Name = "ferry jit" };
                _thread.Start();
            }
            Monitor.Pulse(_gate);
        }
    }

    private static void Loop()
    {
        while (true)
        {
            Request r;
            lock (_gate)
            {
                while (_queue.Count == 0 || _parks > 0)
                {
                    _busy = false;
                    Monitor.PulseAll(_gate);
                    Monitor.Wait(_gate);
                }
                r = _queue.Dequeue();
                _busy = true;
            }
            try { r.Engine.CompileQueued(r.Block, r.Region, r.Memory); }
            catch (Exception e)
            {
                // A translator bug must not take the process down from this thread: the block stays interpreted.
                r.Block.Heat = int.MinValue;
                if (Trace) Console.Error.WriteLine($"ferry: jit: worker failed on 0x{r.Block.Start:x}: {e}");
            }
            Completed++;
        }
    }

    /// <summary>Waits until the worker is between requests and keeps it there until <see cref="Resume"/>
    /// (before a host fork). Requests may still be queued meanwhile.</summary>
    public static void Park()
    {
        lock (_gate)
        {
            _parks++;
            while (_busy) Monitor.Wait(_gate);
        }
    }

    /// <summary>Ends a <see cref="Park"/>.</summary>
    public static void Resume()
    {
        lock (_gate)
        {
            _parks--;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>In a forked child: the worker did not come along. Requests it had not taken go back to being
    /// counted (their blocks compile when they are hot again) and a new worker starts on the next request.</summary>
    public static void AfterForkInChild()
    {
        foreach (var r in _queue) r.Engine.Requeue(r.Block);
        _gate = new object();
        _queue = new Queue<Request>();
        _thread = null;
        _parks = 0;
        _busy = false;
    }

    /// <summary>Forgets the requests of <paramref name="engine"/> (exec replaced its code).</summary>
    internal static void Drop(JitEngine engine)
    {
        lock (_gate)
        {
            if (_queue.Count == 0) return;
            _queue = new Queue<Request>(_queue.Where(r => r.Engine != engine));
        }
    }

    /// <summary>Waits until every request queued so far is done (tests, and <c>--jit-stats</c> at exit).</summary>
    public static void Drain()
    {
        lock (_gate)
        {
            while ((_queue.Count > 0 && _parks == 0) || _busy) Monitor.Wait(_gate, 50);
        }
    }
}
