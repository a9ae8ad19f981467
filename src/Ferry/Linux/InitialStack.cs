using System.Text;
using Ferry.Host;
using Ferry.Linux.Elf;
using Ferry.Memory;

namespace Ferry.Linux;

/// <summary>Builds the process stack as Linux's exec leaves it: strings at the top, then AT_RANDOM
/// bytes, the auxiliary vector, envp, argv and argc at the 16-byte aligned stack pointer.</summary>
public static class InitialStack
{
    public const ulong Size = 8UL << 20;
    /// <summary>Signal-frame size reported in AT_MINSIGSTKSZ (FXSAVE-format frames).</summary>
    public const ulong MinSigStackSize = 2048;

    /// <summary>Maps the stack and fills it; returns the initial RSP.</summary>
    public static ulong Build(GuestMemory mem, LoadedImage main, LoadedImage? interp, IReadOnlyList<string> argv,
        IReadOnlyList<string> envp, string execFn, uint hwcap, bool executable, uint hwcap2 = 0)
    {
        int prot = GuestMemory.ProtRead | GuestMemory.ProtWrite | (executable ? GuestMemory.ProtExec : 0);
        long at = mem.Map(0, Size, prot, GuestMemory.MapPrivate | GuestMemory.MapAnonymous | GuestMemory.MapNoReserve, -1, 0);
        if (at < 0) throw new ElfException($"cannot map the stack: {Errno.Describe((int)-at)}");
        ulong top = (ulong)at + Size;
        ulong sp = top - 8; // the kernel leaves a NULL word at the very top

        ulong PushBytes(byte[] b)
        {
            sp -= (ulong)b.Length;
            mem.WriteBytes(sp, b);
            return sp;
        }
        ulong PushString(string s) => PushBytes(Encoding.UTF8.GetBytes(s + "\0"));

        ulong execFnAddr = PushString(execFn);
        var envAddrs = new ulong[envp.Count];
        for (int n = envp.Count - 1; n >= 0; n--) envAddrs[n] = PushString(envp[n]);
        var argAddrs = new ulong[argv.Count];
        for (int n = argv.Count - 1; n >= 0; n--) argAddrs[n] = PushString(argv[n]);
        ulong platform = PushString("x86_64");
        var random = new byte[16];
        // getrandom, as the kernel fills AT_RANDOM: the runtime's cryptographic generator loads OpenSSL,
        // milliseconds and megabytes at every start.
        FillRandom(random);
        sp &= ~15UL;
        ulong randomAddr = PushBytes(random);

        // Pairs in a flat array: a List of tuples is generic code with no ReadyToRun form, compiled at every start.
        ulong[] aux =
        [
            AuxVector.Hwcap, hwcap,
            AuxVector.Pagesz, PageMap.PageSize,
            AuxVector.Clktck, 100,
            AuxVector.Phdr, main.PhdrAddress,
            AuxVector.Phent, 56,
            AuxVector.Phnum, (ulong)main.PhCount,
            AuxVector.Base, interp?.Bias ?? 0,
            AuxVector.Flags, 0,
            AuxVector.Entry, main.Entry,
            AuxVector.Uid, LibC.Getuid(),
            AuxVector.Euid, LibC.Geteuid(),
            AuxVector.Gid, LibC.Getgid(),
            AuxVector.Egid, LibC.Getegid(),
            AuxVector.Secure, 0,
            AuxVector.Random, randomAddr,
            AuxVector.Hwcap2, hwcap2,
            AuxVector.Execfn, execFnAddr,
            AuxVector.Platform, platform,
            AuxVector.MinSigStkSz, MinSigStackSize,
            AuxVector.Null, 0,
        ];
        int words = 1 + argv.Count + 1 + envp.Count + 1 + aux.Length;
        sp -= (ulong)words * 8;
        sp &= ~15UL;
        ulong w = sp;
        void Put(ulong v) { mem.Write64(w, v); w += 8; }
        Put((ulong)argv.Count);
        foreach (var a in argAddrs) Put(a);
        Put(0);
        foreach (var e in envAddrs) Put(e);
        Put(0);
        foreach (var v in aux) Put(v);
        return sp;
    }

    private static unsafe void FillRandom(byte[] buffer)
    {
        fixed (byte* p = buffer)
            for (int got = 0; got < buffer.Length;)
            {
                nint r = LibC.Getrandom(p + got, (nuint)(buffer.Length - got), 0);
                if (r > 0) got += (int)r;
                else if (LibC.Errno != Errno.EINTR) throw new IOException($"getrandom failed: {Errno.Describe(LibC.Errno)}");
            }
    }

    /// <summary>Reads back the layout of a stack <see cref="Build"/> just made at <paramref name="sp"/>
    /// (before the guest has run, so every word is still the one exec wrote).</summary>
    /// <param name="mem">The guest memory.</param>
    /// <param name="sp">The initial stack pointer.</param>
    /// <param name="hostExecutable">The program file as the host names it (AT_EXECFN is the guest's spelling,
    /// which under a sysroot is not a host path); null to take AT_EXECFN.</param>
    public static InitialStackLayout Describe(GuestMemory mem, ulong sp, string? hostExecutable = null)
    {
        ulong argc = mem.Read64(sp);
        ulong argv = sp + 8, envp = argv + (argc + 1) * 8;
        ulong envc = 0;
        while (mem.Read64(envp + envc * 8) != 0) envc++;
        ulong auxv = envp + (envc + 1) * 8, auxEnd = auxv;
        ulong execFn = 0;
        for (; ; auxEnd += 16)
        {
            ulong tag = mem.Read64(auxEnd);
            if (tag == AuxVector.Execfn) execFn = mem.Read64(auxEnd + 8);
            if (tag == AuxVector.Null) { auxEnd += 16; break; }
        }
        var auxBytes = new byte[auxEnd - auxv];
        mem.ReadBytes(auxv, auxBytes);
        ulong StringEnd(ulong s) => s + (ulong)(mem.ReadCString(s, 1 << 20)?.Length ?? 0) + 1;
        // Strings lie in order argv[0..], envp[0..], then AT_EXECFN, and 8 bytes of NULL end the mapping.
        ulong argStart = argc > 0 ? mem.Read64(argv) : execFn;
        ulong argEnd = argc > 0 ? StringEnd(mem.Read64(argv + (argc - 1) * 8)) : argStart;
        ulong envStart = envc > 0 ? mem.Read64(envp) : argEnd;
        ulong envEnd = envc > 0 ? StringEnd(mem.Read64(envp + (envc - 1) * 8)) : envStart;
        ulong high = StringEnd(execFn) + 8;
        string exe = Canonical(hostExecutable ?? Encoding.UTF8.GetString(mem.ReadCString(execFn, 1 << 20) ?? Array.Empty<byte>()));
        return new InitialStackLayout(sp, high - Size, high, argStart, argEnd, envStart, envEnd, auxBytes, exe);
    }

    // The kernel binds /proc/self/exe to the file exec opened: absolute, every symlink resolved
    // (/usr/bin/python3 is python3.11).
    private static unsafe string Canonical(string path)
    {
        var buf = new byte[4097];
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0")) fixed (byte* b = buf)
        {
            if (LibC.Realpath(p, b) == null) return System.IO.Path.GetFullPath(path);
            int len = 0;
            while (buf[len] != 0) len++; // not Array.IndexOf<byte>: JIT-compiled at every start
            return Encoding.UTF8.GetString(buf, 0, len);
        }
    }
}
