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
}
