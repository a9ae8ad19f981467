using System.Runtime.InteropServices;

namespace Ferry.Host;

// What the host tells about itself.
internal static partial class LibC
{
    [LibraryImport(Lib, EntryPoint = "getauxval")]
    public static partial ulong Getauxval(ulong type);
}
