using System.Runtime.InteropServices;

namespace Ferry.Linux;

/// <summary>x86-64 open(2) flags and their host values. Four bits differ on ARM64 (O_DIRECTORY,
/// O_NOFOLLOW, O_DIRECT, O_LARGEFILE); elsewhere the values are the same.</summary>
public static class OpenFlags
{
    public const int Directory = 0x10000, NoFollow = 0x20000, Direct = 0x4000, LargeFile = 0x8000, CloExec = 0x80000;
    private const int ArmDirectory = 0x4000, ArmNoFollow = 0x8000, ArmDirect = 0x10000, ArmLargeFile = 0x20000;
    private const int Swapped = Directory | NoFollow | Direct | LargeFile;

    private static readonly bool HostIsArm64 = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    public static int ToHost(int guest)
    {
        if (!HostIsArm64) return guest;
        int r = guest & ~Swapped;
        if ((guest & Directory) != 0) r |= ArmDirectory;
        if ((guest & NoFollow) != 0) r |= ArmNoFollow;
        if ((guest & Direct) != 0) r |= ArmDirect;
        if ((guest & LargeFile) != 0) r |= ArmLargeFile;
        return r;
    }

    public static int ToGuest(int host)
    {
        if (!HostIsArm64) return host;
        int r = host & ~Swapped;
        if ((host & ArmDirectory) != 0) r |= Directory;
        if ((host & ArmNoFollow) != 0) r |= NoFollow;
        if ((host & ArmDirect) != 0) r |= Direct;
        if ((host & ArmLargeFile) != 0) r |= LargeFile;
        return r;
    }
}
