using System.Runtime.InteropServices;

namespace Ferry.Host;

// Path resolution.
internal static unsafe partial class LibC
{
    [LibraryImport(Lib, EntryPoint = "realpath", SetLastError = true)]
    public static partial byte* Realpath(byte* path, byte* resolved);
}
