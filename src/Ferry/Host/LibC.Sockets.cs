using System.Runtime.InteropServices;

namespace Ferry.Host;

// Sockets, event descriptors and file-to-file transfers.
internal static unsafe partial class LibC
{
    [LibraryImport(Lib, EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);
    [LibraryImport(Lib, EntryPoint = "socketpair", SetLastError = true)]
    public static partial int Socketpair(int domain, int type, int protocol, int* sv);
    [LibraryImport(Lib, EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(int fd, void* addr, uint len);
    [LibraryImport(Lib, EntryPoint = "listen", SetLastError = true)]
    public static partial int Listen(int fd, int backlog);
    [LibraryImport(Lib, EntryPoint = "accept4", SetLastError = true)]
    public static partial int Accept4(int fd, void* addr, uint* len, int flags);
    [LibraryImport(Lib, EntryPoint = "connect", SetLastError = true)]
    public static partial int Connect(int fd, void* addr, uint len);
    [LibraryImport(Lib, EntryPoint = "getsockname", SetLastError = true)]
    public static partial int Getsockname(int fd, void* addr, uint* len);
    [LibraryImport(Lib, EntryPoint = "getpeername", SetLastError = true)]
    public static partial int Getpeername(int fd, void* addr, uint* len);
    [LibraryImport(Lib, EntryPoint = "sendto", SetLastError = true)]
    public static partial nint Sendto(int fd, void* buf, nuint len, int flags, void* addr, uint addrLen);
    [LibraryImport(Lib, EntryPoint = "recvfrom", SetLastError = true)]
    public static partial nint Recvfrom(int fd, void* buf, nuint len, int flags, void* addr, uint* addrLen);
    [LibraryImport(Lib, EntryPoint = "sendmsg", SetLastError = true)]
    public static partial nint Sendmsg(int fd, void* msg, int flags);
    [LibraryImport(Lib, EntryPoint = "recvmsg", SetLastError = true)]
    public static partial nint Recvmsg(int fd, void* msg, int flags);
    [LibraryImport(Lib, EntryPoint = "shutdown", SetLastError = true)]
    public static partial int Shutdown(int fd, int how);
    [LibraryImport(Lib, EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int Setsockopt(int fd, int level, int name, void* value, uint len);
    [LibraryImport(Lib, EntryPoint = "getsockopt", SetLastError = true)]
    public static partial int Getsockopt(int fd, int level, int name, void* value, uint* len);

    [LibraryImport(Lib, EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate1(int flags);
    [LibraryImport(Lib, EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int EpollCtl(int epfd, int op, int fd, void* ev);
    [LibraryImport(Lib, EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(int epfd, void* events, int max, int timeout);
    [LibraryImport(Lib, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int Eventfd(uint initval, int flags);
    [LibraryImport(Lib, EntryPoint = "timerfd_create", SetLastError = true)]
    public static partial int TimerfdCreate(int clock, int flags);
    [LibraryImport(Lib, EntryPoint = "timerfd_settime", SetLastError = true)]
    public static partial int TimerfdSettime(int fd, int flags, void* value, void* old);
    [LibraryImport(Lib, EntryPoint = "timerfd_gettime", SetLastError = true)]
    public static partial int TimerfdGettime(int fd, void* value);
    [LibraryImport(Lib, EntryPoint = "inotify_init1", SetLastError = true)]
    public static partial int InotifyInit1(int flags);
    [LibraryImport(Lib, EntryPoint = "inotify_add_watch", SetLastError = true)]
    public static partial int InotifyAddWatch(int fd, byte* path, uint mask);
    [LibraryImport(Lib, EntryPoint = "inotify_rm_watch", SetLastError = true)]
    public static partial int InotifyRmWatch(int fd, int wd);
    [LibraryImport(Lib, EntryPoint = "memfd_create", SetLastError = true)]
    public static partial int MemfdCreate(byte* name, uint flags);

    [LibraryImport(Lib, EntryPoint = "sendfile64", SetLastError = true)]
    public static partial nint Sendfile(int outFd, int inFd, long* offset, nuint count);
    [LibraryImport(Lib, EntryPoint = "copy_file_range", SetLastError = true)]
    public static partial nint CopyFileRange(int inFd, long* inOff, int outFd, long* outOff, nuint len, uint flags);
    [LibraryImport(Lib, EntryPoint = "splice", SetLastError = true)]
    public static partial nint Splice(int inFd, long* inOff, int outFd, long* outOff, nuint len, uint flags);
    [LibraryImport(Lib, EntryPoint = "tee", SetLastError = true)]
    public static partial nint Tee(int inFd, int outFd, nuint len, uint flags);
    [LibraryImport(Lib, EntryPoint = "fallocate64", SetLastError = true)]
    public static partial int Fallocate(int fd, int mode, long offset, long len);
    [LibraryImport(Lib, EntryPoint = "posix_fadvise64")]
    public static partial int PosixFadvise(int fd, long offset, long len, int advice);
    [LibraryImport(Lib, EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int op);
}
