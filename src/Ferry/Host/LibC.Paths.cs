using System.Runtime.InteropServices;

namespace Ferry.Host;

// Path resolution.
internal static unsafe partial class LibC
{
    [LibraryImport(Lib, EntryPoint = "realpath", SetLastError = true)]
    public static partial byte* Realpath(byte* path, byte* resolved);

    /// <summary>open(2) of a host path Ferry itself names (the marshaller writes it as UTF-8 on the stack).</summary>
    [LibraryImport(Lib, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenPath(string path, int flags);

    [LibraryImport(Lib, EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int UnlinkPath(string path);
}
