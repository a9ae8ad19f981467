using System.Reflection.Emit;
using Ferry.Host;

namespace Ferry.ForkStress;

/// <summary>Forks N times through <see cref="RuntimeQuiescence.Fork"/> with the finalizer thread kept busy: before
/// each fork the parent drops objects whose finalizers allocate (so a finalizer can start a collection at any
/// moment) and dynamic methods (whose memory the finalizer frees under the runtime's code-heap lock, as for Ferry's
/// translations). Each child collects, compiles and runs a dynamic method and exits; a child that does not exit
/// within the limit is a hang. Forks go through <see cref="HostSignals.Fork"/>, as a guest's do, with Ferry's signal
/// forwarding on: every SIGCHLD it hands on must be from a child the fork returned (not one it killed unseen). Prints
/// "ok N" and exits 0, or says what went wrong and exits 1.</summary>
internal static unsafe class Program
{
    private static int Main(string[] args)
    {
        int count = args.Length > 0 ? int.Parse(args[0]) : 300;
        int limitMs = args.Length > 1 ? int.Parse(args[1]) : 10_000;
        // A thread that sleeps most of the time and wakes on its own, as the runtime's finalizer and timer threads
        // do: what it does when it wakes (a compile, an allocation) takes the runtime's locks at unpredictable times.
        var ticker = new Thread(() =>
        {
            for (int n = 0; ; n++)
            {
                Thread.Sleep(2);
                _ = Compile(n)();
                _ = new byte[4096];
            }
        }) { IsBackground = true };
        ticker.Start();
        var children = new HashSet<int>();
        var signalled = new List<int>();
        HostSignals.Forward(s =>
        {
            if (s.Signo == 17) lock (signalled) signalled.Add(s.Pid);
        });
        for (int i = 0; i < count; i++)
        {
            MakeGarbage(i);
            int pid;
            lock (HostSignals.Gate) pid = HostSignals.Fork(2000, () => { });
            if (pid == 0) LibC.Exit(Child(i));
            if (pid < 0) { Console.WriteLine($"fork {i}: error {-pid}"); return 1; }
            children.Add(pid);
            int status = 0;
            long deadline = Environment.TickCount64 + limitMs;
            while (true)
            {
                int r = LibC.Wait4(pid, &status, 1 /* WNOHANG */, null);
                if (r == pid) break;
                if (Environment.TickCount64 > deadline)
                {
                    Console.WriteLine($"fork {i}: child {pid} hung (no exit within {limitMs} ms)");
                    LibC.Kill(pid, 9);
                    LibC.Wait4(pid, &status, 0, null);
                    return 1;
                }
                Thread.Sleep(2);
            }
            if (status != 0) { Console.WriteLine($"fork {i}: child status 0x{status:x}"); return 1; }
        }
        // The last SIGCHLD may still be on its way to the reader thread.
        Thread.Sleep(200);
        lock (signalled)
        {
            foreach (int pid in signalled)
                if (!children.Contains(pid)) { Console.WriteLine($"SIGCHLD from child {pid}, which no fork returned"); return 1; }
            if (signalled.Count == 0) { Console.WriteLine("no SIGCHLD reached the sink"); return 1; }
        }
        Console.WriteLine($"ok {count}");
        Console.Error.WriteLine($"{RuntimeQuiescence.Discarded} children forked while a thread ran were killed unseen");
        return 0;
    }

    private static void MakeGarbage(int i)
    {
        for (int n = 0; n < 4; n++) _ = new AllocatingFinalizer();
        for (int n = 0; n < 2; n++) _ = Compile(i + n)();
        // Allocation enough that collections (and with them finalizer runs) come every few forks.
        for (int n = 0; n < 64; n++) _ = new byte[16 * 1024];
    }

    private static int Child(int i)
    {
        _ = new byte[1 << 20];
        GC.Collect();
        return Compile(i)() == i ? 0 : 3;
    }

    private static Func<int> Compile(int value)
    {
        var m = new DynamicMethod("f" + value, typeof(int), Type.EmptyTypes);
        var il = m.GetILGenerator();
        il.Emit(OpCodes.Ldc_I4, value);
        il.Emit(OpCodes.Ret);
        return m.CreateDelegate<Func<int>>();
    }

    private sealed class AllocatingFinalizer
    {
        private static byte[]? _kept;

        ~AllocatingFinalizer() => _kept = new byte[200 * 1024];
    }
}
