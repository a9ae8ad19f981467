using System.Runtime.InteropServices;

namespace Ferry.Host;

/// <summary>Thin bindings to the host C library. Wrappers, not raw syscall numbers, keep the
/// personality portable across host architectures.</summary>
internal static unsafe partial class LibC
{
    private const string Lib = "libc";

    [LibraryImport(Lib, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, void* buf, nuint count);
    [LibraryImport(Lib, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, void* buf, nuint count);
    [LibraryImport(Lib, EntryPoint = "pread64", SetLastError = true)]
    public static partial nint Pread(int fd, void* buf, nuint count, long offset);
    [LibraryImport(Lib, EntryPoint = "pwrite64", SetLastError = true)]
    public static partial nint Pwrite(int fd, void* buf, nuint count, long offset);
    [LibraryImport(Lib, EntryPoint = "readv", SetLastError = true)]
    public static partial nint Readv(int fd, void* iov, int iovcnt);
    [LibraryImport(Lib, EntryPoint = "writev", SetLastError = true)]
    public static partial nint Writev(int fd, void* iov, int iovcnt);
    [LibraryImport(Lib, EntryPoint = "preadv", SetLastError = true)]
    public static partial nint Preadv(int fd, void* iov, int iovcnt, long offset);
    [LibraryImport(Lib, EntryPoint = "pwritev", SetLastError = true)]
    public static partial nint Pwritev(int fd, void* iov, int iovcnt, long offset);
    [LibraryImport(Lib, EntryPoint = "openat", SetLastError = true)]
    public static partial int OpenAt(int dirfd, byte* path, int flags, uint mode);
    [LibraryImport(Lib, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
    [LibraryImport(Lib, EntryPoint = "lseek64", SetLastError = true)]
    public static partial long Lseek(int fd, long offset, int whence);
    [LibraryImport(Lib, EntryPoint = "statx", SetLastError = true)]
    public static partial int Statx(int dirfd, byte* path, int flags, uint mask, void* buf);
    [LibraryImport(Lib, EntryPoint = "getdents64", SetLastError = true)]
    public static partial nint Getdents64(int fd, void* buf, nuint count);
    [LibraryImport(Lib, EntryPoint = "mkdirat", SetLastError = true)]
    public static partial int MkdirAt(int dirfd, byte* path, uint mode);
    [LibraryImport(Lib, EntryPoint = "unlinkat", SetLastError = true)]
    public static partial int UnlinkAt(int dirfd, byte* path, int flags);
    [LibraryImport(Lib, EntryPoint = "renameat2", SetLastError = true)]
    public static partial int RenameAt2(int olddirfd, byte* oldpath, int newdirfd, byte* newpath, uint flags);
    [LibraryImport(Lib, EntryPoint = "symlinkat", SetLastError = true)]
    public static partial int SymlinkAt(byte* target, int newdirfd, byte* linkpath);
    [LibraryImport(Lib, EntryPoint = "linkat", SetLastError = true)]
    public static partial int LinkAt(int olddirfd, byte* oldpath, int newdirfd, byte* newpath, int flags);
    [LibraryImport(Lib, EntryPoint = "readlinkat", SetLastError = true)]
    public static partial nint ReadlinkAt(int dirfd, byte* path, byte* buf, nuint size);
    [LibraryImport(Lib, EntryPoint = "faccessat", SetLastError = true)]
    public static partial int FaccessAt(int dirfd, byte* path, int mode, int flags);
    [LibraryImport(Lib, EntryPoint = "fchmodat", SetLastError = true)]
    public static partial int FchmodAt(int dirfd, byte* path, uint mode, int flags);
    [LibraryImport(Lib, EntryPoint = "fchmod", SetLastError = true)]
    public static partial int Fchmod(int fd, uint mode);
    [LibraryImport(Lib, EntryPoint = "fchownat", SetLastError = true)]
    public static partial int FchownAt(int dirfd, byte* path, uint owner, uint group, int flags);
    [LibraryImport(Lib, EntryPoint = "fchown", SetLastError = true)]
    public static partial int Fchown(int fd, uint owner, uint group);
    [LibraryImport(Lib, EntryPoint = "ftruncate64", SetLastError = true)]
    public static partial int Ftruncate(int fd, long length);
    [LibraryImport(Lib, EntryPoint = "truncate64", SetLastError = true)]
    public static partial int Truncate(byte* path, long length);
    [LibraryImport(Lib, EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);
    [LibraryImport(Lib, EntryPoint = "fdatasync", SetLastError = true)]
    public static partial int Fdatasync(int fd);
    [LibraryImport(Lib, EntryPoint = "utimensat", SetLastError = true)]
    public static partial int UtimensAt(int dirfd, byte* path, void* times, int flags);
    [LibraryImport(Lib, EntryPoint = "futimens", SetLastError = true)]
    public static partial int Futimens(int fd, void* times);
    [LibraryImport(Lib, EntryPoint = "chdir", SetLastError = true)]
    public static partial int Chdir(byte* path);
    [LibraryImport(Lib, EntryPoint = "fchdir", SetLastError = true)]
    public static partial int Fchdir(int fd);
    [LibraryImport(Lib, EntryPoint = "getcwd", SetLastError = true)]
    public static partial byte* Getcwd(byte* buf, nuint size);
    [LibraryImport(Lib, EntryPoint = "umask", SetLastError = true)]
    public static partial uint Umask(uint mask);

    [LibraryImport(Lib, EntryPoint = "mmap", SetLastError = true)]
    public static partial void* Mmap(void* addr, nuint length, int prot, int flags, int fd, long offset);
    [LibraryImport(Lib, EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(void* addr, nuint length);
    [LibraryImport(Lib, EntryPoint = "mprotect", SetLastError = true)]
    public static partial int Mprotect(void* addr, nuint length, int prot);
    [LibraryImport(Lib, EntryPoint = "mremap", SetLastError = true)]
    public static partial void* Mremap(void* oldAddr, nuint oldSize, nuint newSize, int flags, void* newAddr);
    [LibraryImport(Lib, EntryPoint = "madvise", SetLastError = true)]
    public static partial int Madvise(void* addr, nuint length, int advice);
    [LibraryImport(Lib, EntryPoint = "msync", SetLastError = true)]
    public static partial int Msync(void* addr, nuint length, int flags);

    [LibraryImport(Lib, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(void* fds, ulong nfds, int timeout);
    [LibraryImport(Lib, EntryPoint = "ppoll", SetLastError = true)]
    public static partial int Ppoll(void* fds, ulong nfds, void* timeout, void* sigmask);
    [LibraryImport(Lib, EntryPoint = "mincore", SetLastError = true)]
    public static partial int Mincore(void* addr, nuint length, byte* vec);
    [LibraryImport(Lib, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int cmd, long arg);
    [LibraryImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, ulong request, void* arg);
    [LibraryImport(Lib, EntryPoint = "dup", SetLastError = true)]
    public static partial int Dup(int fd);
    [LibraryImport(Lib, EntryPoint = "dup3", SetLastError = true)]
    public static partial int Dup3(int fd, int fd2, int flags);
    [LibraryImport(Lib, EntryPoint = "pipe2", SetLastError = true)]
    public static partial int Pipe2(int* fds, int flags);
    [LibraryImport(Lib, EntryPoint = "prlimit64", SetLastError = true)]
    public static partial int Prlimit(int pid, int resource, void* newLimit, void* oldLimit);
    [LibraryImport(Lib, EntryPoint = "setrlimit", SetLastError = true)]
    public static partial int Setrlimit(int resource, void* limit);

    [LibraryImport(Lib, EntryPoint = "uname", SetLastError = true)]
    public static partial int Uname(void* buf);
    [LibraryImport(Lib, EntryPoint = "getrandom", SetLastError = true)]
    public static partial nint Getrandom(void* buf, nuint len, uint flags);
    [LibraryImport(Lib, EntryPoint = "clock_gettime", SetLastError = true)]
    public static partial int ClockGettime(int clock, void* ts);
    [LibraryImport(Lib, EntryPoint = "clock_getres", SetLastError = true)]
    public static partial int ClockGetres(int clock, void* ts);
    [LibraryImport(Lib, EntryPoint = "clock_nanosleep", SetLastError = true)]
    public static partial int ClockNanosleep(int clock, int flags, void* req, void* rem);
    [LibraryImport(Lib, EntryPoint = "gettimeofday", SetLastError = true)]
    public static partial int Gettimeofday(void* tv, void* tz);
    [LibraryImport(Lib, EntryPoint = "getrusage", SetLastError = true)]
    public static partial int Getrusage(int who, void* usage);
    [LibraryImport(Lib, EntryPoint = "times", SetLastError = true)]
    public static partial long Times(void* buf);
    [LibraryImport(Lib, EntryPoint = "sysinfo", SetLastError = true)]
    public static partial int Sysinfo(void* info);

    [LibraryImport(Lib, EntryPoint = "getpid")] public static partial int Getpid();
    [LibraryImport(Lib, EntryPoint = "getppid")] public static partial int Getppid();
    [LibraryImport(Lib, EntryPoint = "gettid")] public static partial int Gettid();
    [LibraryImport(Lib, EntryPoint = "getuid")] public static partial uint Getuid();
    [LibraryImport(Lib, EntryPoint = "geteuid")] public static partial uint Geteuid();
    [LibraryImport(Lib, EntryPoint = "getgid")] public static partial uint Getgid();
    [LibraryImport(Lib, EntryPoint = "getegid")] public static partial uint Getegid();
    [LibraryImport(Lib, EntryPoint = "getpgid", SetLastError = true)] public static partial int Getpgid(int pid);
    [LibraryImport(Lib, EntryPoint = "getsid", SetLastError = true)] public static partial int Getsid(int pid);
    [LibraryImport(Lib, EntryPoint = "getgroups", SetLastError = true)] public static partial int Getgroups(int size, uint* list);
    [LibraryImport(Lib, EntryPoint = "getresuid", SetLastError = true)] public static partial int Getresuid(uint* r, uint* e, uint* s);
    [LibraryImport(Lib, EntryPoint = "getresgid", SetLastError = true)] public static partial int Getresgid(uint* r, uint* e, uint* s);

    [LibraryImport(Lib, EntryPoint = "getcpu", SetLastError = true)]
    public static partial int Getcpu(uint* cpu, uint* node);
    [LibraryImport(Lib, EntryPoint = "sched_getaffinity", SetLastError = true)]
    public static partial int SchedGetaffinity(int pid, nuint size, void* mask);
    [LibraryImport(Lib, EntryPoint = "prctl", SetLastError = true)]
    public static partial int Prctl(int option, ulong a2, ulong a3, ulong a4, ulong a5);
    [LibraryImport(Lib, EntryPoint = "setpgid", SetLastError = true)]
    public static partial int Setpgid(int pid, int pgid);
    [LibraryImport(Lib, EntryPoint = "setsid", SetLastError = true)]
    public static partial int Setsid();
    [LibraryImport(Lib, EntryPoint = "getpgrp")]
    public static partial int Getpgrp();
    [LibraryImport(Lib, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int sig);
    [LibraryImport(Lib, EntryPoint = "signal", SetLastError = true)]
    public static partial nint Signal(int sig, nint handler);
    [LibraryImport(Lib, EntryPoint = "_exit")]
    public static partial void Exit(int status);
    [LibraryImport(Lib, EntryPoint = "sched_yield")]
    public static partial int SchedYield();

    [LibraryImport(Lib, EntryPoint = "sigaction", SetLastError = true)]
    public static partial int Sigaction(int sig, void* act, void* old);
    [LibraryImport(Lib, EntryPoint = "pthread_sigmask")]
    public static partial int PthreadSigmask(int how, ulong* set, ulong* old);
    [LibraryImport(Lib, EntryPoint = "sigtimedwait", SetLastError = true)]
    public static partial int Sigtimedwait(ulong* set, void* info, long* timeout);
    [LibraryImport(Lib, EntryPoint = "signalfd", SetLastError = true)]
    public static partial int Signalfd(int fd, ulong* mask, int flags);
    [LibraryImport(Lib, EntryPoint = "tgkill", SetLastError = true)]
    public static partial int Tgkill(int tgid, int tid, int sig);
    [LibraryImport(Lib, EntryPoint = "fork", SetLastError = true)]
    public static partial int Fork();
    [LibraryImport(Lib, EntryPoint = "waitid", SetLastError = true)]
    public static partial int Waitid(int idtype, int id, void* info, int options);
    [LibraryImport(Lib, EntryPoint = "wait4", SetLastError = true)]
    public static partial int Wait4(int pid, int* status, int options, void* rusage);
    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall5(long number, long a0, long a1, long a2, long a3, long a4);
    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall6(long number, long a0, long a1, long a2, long a3, long a4, long a5);
    [LibraryImport(Lib, EntryPoint = "execve", SetLastError = true)]
    public static partial int Execve(byte* path, byte** argv, byte** envp);
    [LibraryImport(Lib, EntryPoint = "alarm")]
    public static partial uint Alarm(uint seconds);
    [LibraryImport(Lib, EntryPoint = "setitimer", SetLastError = true)]
    public static partial int Setitimer(int which, void* value, void* old);
    [LibraryImport(Lib, EntryPoint = "getitimer", SetLastError = true)]
    public static partial int Getitimer(int which, void* value);
    [LibraryImport(Lib, EntryPoint = "sched_setaffinity", SetLastError = true)]
    public static partial int SchedSetaffinity(int pid, nuint size, void* mask);
    [LibraryImport(Lib, EntryPoint = "sched_getparam", SetLastError = true)]
    public static partial int SchedGetparam(int pid, void* param);
    [LibraryImport(Lib, EntryPoint = "sched_setparam", SetLastError = true)]
    public static partial int SchedSetparam(int pid, void* param);
    [LibraryImport(Lib, EntryPoint = "sched_getscheduler", SetLastError = true)]
    public static partial int SchedGetscheduler(int pid);
    [LibraryImport(Lib, EntryPoint = "sched_setscheduler", SetLastError = true)]
    public static partial int SchedSetscheduler(int pid, int policy, void* param);
    [LibraryImport(Lib, EntryPoint = "sched_get_priority_max", SetLastError = true)]
    public static partial int SchedGetPriorityMax(int policy);
    [LibraryImport(Lib, EntryPoint = "sched_get_priority_min", SetLastError = true)]
    public static partial int SchedGetPriorityMin(int policy);

    public static int Errno => Marshal.GetLastPInvokeError();

    /// <summary>A failed call's result as the kernel would return it: minus errno.</summary>
    public static long Result(long r) => r < 0 ? -Errno : r;
}
