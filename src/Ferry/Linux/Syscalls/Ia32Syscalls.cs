namespace Ferry.Linux.Syscalls;

/// <summary>The i386 system calls that INT 0x80 reaches in a 64-bit process, mapped to the x86-64 calls
/// that do the same with the same arguments once each is zero-extended from 32 bits (as the kernel's
/// compat entry reads them). Calls whose i386 form has other structure layouts, 16-bit ids, or
/// addresses that must stay below 4 GiB (mmap, brk) are not mapped and return ENOSYS.</summary>
public static class Ia32Syscalls
{
    private static readonly Dictionary<uint, int> ToX64Map = new()
    {
        [1] = 60,     // exit
        [3] = 0,      // read
        [4] = 1,      // write
        [6] = 3,      // close
        [9] = 86,     // link
        [10] = 87,    // unlink
        [12] = 80,    // chdir
        [15] = 90,    // chmod
        [20] = 39,    // getpid
        [29] = 34,    // pause
        [33] = 21,    // access
        [36] = 162,   // sync
        [37] = 62,    // kill
        [38] = 82,    // rename
        [39] = 83,    // mkdir
        [40] = 84,    // rmdir
        [41] = 32,    // dup
        [42] = 22,    // pipe
        [57] = 109,   // setpgid
        [60] = 95,    // umask
        [63] = 33,    // dup2
        [64] = 110,   // getppid
        [65] = 111,   // getpgrp
        [66] = 112,   // setsid
        [83] = 88,    // symlink
        [85] = 89,    // readlink
        [158] = 24,   // sched_yield
        [183] = 79,   // getcwd
        [199] = 102,  // getuid32
        [200] = 104,  // getgid32
        [201] = 107,  // geteuid32
        [202] = 108,  // getegid32
        [224] = 186,  // gettid
        [238] = 200,  // tkill
        [252] = 231,  // exit_group
        [270] = 234,  // tgkill
        [330] = 292,  // dup3
        [331] = 293,  // pipe2
    };

    /// <summary>The x86-64 call number serving i386 call <paramref name="nr"/>, or null.</summary>
    public static int? ToX64(uint nr) => ToX64Map.TryGetValue(nr, out int n) ? n : null;
}
