using System.Runtime.InteropServices;

namespace Ferry.Host;

// What the host tells about itself.
internal static partial class LibC
{
    [LibraryImport(Lib, EntryPoint = "getauxval")]
    public static partial ulong Getauxval(ulong type);

    [LibraryImport(Lib, EntryPoint = "sched_getcpu")]
    private static partial int SchedGetcpu();

    /// <summary>The host CPU the calling thread runs on, or -1.</summary>
    public static int CurrentCpu() => SchedGetcpu();

    /// <summary>(node &lt;&lt; 12) | cpu for the calling thread, as Linux puts it in TSC_AUX (RDTSCP's ECX) and in
    /// the per-CPU segment's limit; 0 when the host cannot tell.</summary>
    public static unsafe uint CpuNode()
    {
        uint cpu, node;
        if (Getcpu(&cpu, &node) != 0) return 0;
        return (node << 12) | (cpu & 0xFFF);
    }
}
