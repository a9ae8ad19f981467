using System.Runtime.InteropServices;
using Ferry.Cpu;
using Ferry.Host;
using Ferry.Linux.Elf;
using Ferry.Linux.Signals;
using Ferry.Linux.Threads;
using Ferry.Memory;

namespace Ferry.Linux;

// execve in place: the same host process (and warm runtime) takes the new program.
public sealed unsafe partial class LinuxProcess
{
    /// <summary>Replaces the guest image with <paramref name="elf"/> (already opened and validated): other
    /// threads end, close-on-exec descriptors close, handlers go back to their defaults (ignored signals and
    /// the mask stay), the address space is emptied and the new program loaded with its stack and auxv.
    /// <paramref name="t"/> becomes the main thread. <paramref name="execFn"/> is the path as the guest
    /// passed it (AT_EXECFN), <paramref name="path"/> the host's file, <paramref name="commFrom"/> the name whose last
    /// part becomes comm (null: <paramref name="path"/>).</summary>
    internal void ExecInPlace(GuestThread t, string path, ElfFile elf, IReadOnlyList<string> argv, IReadOnlyList<string> envp, string? execFn = null, string? commFrom = null)
    {
        lock (_threadsLock) _main = t;
        EndOtherThreads(t);
        Fds.CloseOnExec();
        DeleteAllTimers();
        Signals.ResetHandlers();
        t.AltStack = (0, 2, 0);
        t.ClearChildTid = 0;
        // The kernel's exec_mm_release: robust futexes the caller holds are marked dead before the image goes.
        RobustList.Release(this, t);
        t.Tid = LibC.Getpid();
        Futexes = new FutexTable();
        Memory.Reset();
        // One thread and no mappings left: auto's unordered start holds again (a fresh ferry would start so too).
        Memory.NoteUnshared();
        Engine.Code.Clear();
        var cpu = t.Cpu;
        try
        {
            var (image, interp) = LoadImages(Memory, path, elf, Sysroot);
            Image = image;
            InterpreterImage = interp;
            ExecutablePath = path;
            BrkStart = Brk = (image.End + PageMap.PageMask) & ~PageMap.PageMask;
            cpu.State.Reset();
            ulong sp = InitialStack.Build(Memory, image, interp, argv, envp, execFn ?? path, cpu.Cpuid.FeaturesEdx, elf.ExecutableStack, cpu.Cpuid.Hwcap2);
            StackLayout = InitialStack.Describe(Memory, sp, path);
            cpu.State.Gpr[CpuState.Rsp] = sp;
            cpu.State.Rip = interp?.Entry ?? image.Entry;
            t.Name = CommName(commFrom ?? path);
        }
        catch (Exception e) when (e is ElfException or IOException or UnauthorizedAccessException)
        {
            // Past the point of no return the old image is gone: Linux kills the process.
            Strace?.WriteLine($"[ferry] exec of {path} failed after the old image was dropped: {e.Message}");
            Kill(GuestSignal.SIGSEGV);
        }
    }

    /// <summary>execve of a program the host runs itself (not x86-64): descriptors move to their guest
    /// numbers, ignored signals stay ignored, the mask is the guest's, and the host kernel takes over.
    /// Returns only on failure, with minus errno, and then the process cannot go on as it was.</summary>
    internal long HostExec(GuestThread t, string path, IReadOnlyList<byte[]> argv, IReadOnlyList<byte[]> envp)
    {
        var pairs = Fds.Pairs().Where(p => (LibC.Fcntl(p.Host, 1 /* F_GETFD */, 0) & 1) == 0).ToList();
        int top = pairs.Count == 0 ? 3 : Math.Max(3, pairs.Max(p => Math.Max(p.Guest, p.Host)) + 1);
        var tmp = pairs.Select(p => LibC.Fcntl(p.Host, 1030 /* F_DUPFD_CLOEXEC */, top)).ToArray();
        for (int fd = 0; fd < 3; fd++) if (!pairs.Any(p => p.Guest == fd)) LibC.Close(fd);
        for (int n = 0; n < pairs.Count; n++) if (tmp[n] >= 0) LibC.Dup3(tmp[n], pairs[n].Guest, 0);
        HostSignals.PrepareHostExec(sig => Signals[sig].Handler == SignalAction.Ignore);
        ulong mask = t.Blocked;
        LibC.PthreadSigmask(2 /* SIG_SETMASK */, &mask, null);
        byte** av = Strings(argv), ev = Strings(envp);
        var p = Strings(new[] { System.Text.Encoding.UTF8.GetBytes(path) });
        // The runtime's debugger files would outlive it; if execve fails the process is killed below anyway.
        RuntimeFiles.Remove();
        Fds.ApplyLimitsToHost();
        LibC.Execve(p[0], av, ev);
        int e = LibC.Errno;
        Kill(GuestSignal.SIGKILL);
        return -e;
    }

    private static byte** Strings(IReadOnlyList<byte[]> items)
    {
        var v = (byte**)NativeMemory.Alloc((nuint)(items.Count + 1), (nuint)sizeof(byte*));
        for (int n = 0; n < items.Count; n++)
        {
            var s = (byte*)NativeMemory.Alloc((nuint)items[n].Length + 1);
            items[n].CopyTo(new Span<byte>(s, items[n].Length));
            s[items[n].Length] = 0;
            v[n] = s;
        }
        v[items.Count] = null;
        return v;
    }
}
