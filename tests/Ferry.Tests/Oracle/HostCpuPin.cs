using System.Runtime.InteropServices;

namespace Ferry.Tests.Oracle;

/// <summary>Pins the calling thread to one host CPU for a while, so that instructions whose results name
/// the CPU (RDTSCP's TSC_AUX, LSL of the per-CPU segment) give the same answer natively and under Ferry.</summary>
public static unsafe class HostCpuPin
{
    [DllImport("libc", SetLastError = true)] private static extern int sched_getaffinity(int pid, nuint size, ulong* mask);
    [DllImport("libc", SetLastError = true)] private static extern int sched_setaffinity(int pid, nuint size, ulong* mask);

    private const int Words = 16; // 1024 CPUs

    /// <summary>The CPUs the calling thread may run on.</summary>
    public static int[] Allowed()
    {
        var mask = stackalloc ulong[Words];
        if (sched_getaffinity(0, Words * 8, mask) != 0) throw new InvalidOperationException("sched_getaffinity failed");
        var cpus = new List<int>();
        for (int n = 0; n < Words * 64; n++) if ((mask[n / 64] >> (n % 64) & 1) != 0) cpus.Add(n);
        return cpus.ToArray();
    }

    /// <summary>Runs <paramref name="body"/> with the thread pinned to <paramref name="cpu"/>, then restores its affinity.</summary>
    public static T On<T>(int cpu, Func<T> body)
    {
        var old = stackalloc ulong[Words];
        if (sched_getaffinity(0, Words * 8, old) != 0) throw new InvalidOperationException("sched_getaffinity failed");
        var one = stackalloc ulong[Words];
        one[cpu / 64] = 1UL << (cpu % 64);
        if (sched_setaffinity(0, Words * 8, one) != 0) throw new InvalidOperationException($"sched_setaffinity({cpu}) failed");
        try { return body(); }
        finally { sched_setaffinity(0, Words * 8, old); }
    }
}
