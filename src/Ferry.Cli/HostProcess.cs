using System.Runtime.InteropServices;

namespace Ferry.Cli;

/// <summary>Ends the emulator the way the guest ended, so a parent's wait status matches a native run.</summary>
internal static partial class HostProcess
{
    [LibraryImport("libc", EntryPoint = "signal")] private static partial nint Signal(int sig, nint handler);
    [LibraryImport("libc", EntryPoint = "kill")] private static partial int Kill(int pid, int sig);
    [LibraryImport("libc", EntryPoint = "getpid")] private static partial int Getpid();
    [LibraryImport("libc", EntryPoint = "setrlimit")] private static unsafe partial int Setrlimit(int resource, ulong* limit);
    [LibraryImport("libc", EntryPoint = "sigprocmask")] private static unsafe partial int Sigprocmask(int how, ulong* set, ulong* old);
    [LibraryImport("libc", EntryPoint = "_exit")] private static partial void Exit(int status);

    /// <summary>Terminates this process with <paramref name="sig"/>'s default action.</summary>
    public static unsafe void DieBySignal(int sig)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        // A core of the emulator would be huge and useless to the guest's owner.
        ulong* noCore = stackalloc ulong[2];
        noCore[0] = noCore[1] = 0;
        Setrlimit(4 /* RLIMIT_CORE */, noCore);
        Signal(sig, 0 /* SIG_DFL */);
        ulong* set = stackalloc ulong[16];
        for (int n = 0; n < 16; n++) set[n] = 0;
        set[0] = 1UL << (sig - 1);
        Sigprocmask(1 /* SIG_UNBLOCK */, set, null);
        Kill(Getpid(), sig);
        // Signals whose default is to be ignored or to stop do not end us; report as a shell would.
        Exit(128 + sig);
    }
}
