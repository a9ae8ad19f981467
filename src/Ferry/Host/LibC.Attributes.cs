using System.Runtime.InteropServices;

namespace Ferry.Host;

// Extended attributes and file-system statistics.
internal static unsafe partial class LibC
{
    [LibraryImport(Lib, EntryPoint = "getxattr", SetLastError = true)]
    public static partial nint Getxattr(byte* path, byte* name, void* value, nuint size);
    [LibraryImport(Lib, EntryPoint = "lgetxattr", SetLastError = true)]
    public static partial nint Lgetxattr(byte* path, byte* name, void* value, nuint size);
    [LibraryImport(Lib, EntryPoint = "fgetxattr", SetLastError = true)]
    public static partial nint Fgetxattr(int fd, byte* name, void* value, nuint size);
    [LibraryImport(Lib, EntryPoint = "setxattr", SetLastError = true)]
    public static partial int Setxattr(byte* path, byte* name, void* value, nuint size, int flags);
    [LibraryImport(Lib, EntryPoint = "lsetxattr", SetLastError = true)]
    public static partial int Lsetxattr(byte* path, byte* name, void* value, nuint size, int flags);
    [LibraryImport(Lib, EntryPoint = "fsetxattr", SetLastError = true)]
    public static partial int Fsetxattr(int fd, byte* name, void* value, nuint size, int flags);
    [LibraryImport(Lib, EntryPoint = "listxattr", SetLastError = true)]
    public static partial nint Listxattr(byte* path, byte* list, nuint size);
    [LibraryImport(Lib, EntryPoint = "llistxattr", SetLastError = true)]
    public static partial nint Llistxattr(byte* path, byte* list, nuint size);
    [LibraryImport(Lib, EntryPoint = "flistxattr", SetLastError = true)]
    public static partial nint Flistxattr(int fd, byte* list, nuint size);
    [LibraryImport(Lib, EntryPoint = "removexattr", SetLastError = true)]
    public static partial int Removexattr(byte* path, byte* name);
    [LibraryImport(Lib, EntryPoint = "lremovexattr", SetLastError = true)]
    public static partial int Lremovexattr(byte* path, byte* name);
    [LibraryImport(Lib, EntryPoint = "fremovexattr", SetLastError = true)]
    public static partial int Fremovexattr(int fd, byte* name);
    [LibraryImport(Lib, EntryPoint = "statfs", SetLastError = true)]
    public static partial int Statfs(byte* path, void* buf);
    [LibraryImport(Lib, EntryPoint = "fstatfs", SetLastError = true)]
    public static partial int Fstatfs(int fd, void* buf);
}
