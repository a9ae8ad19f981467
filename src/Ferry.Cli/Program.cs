using System.CommandLine;
using System.CommandLine.Help;
using Ferry.Cpu;
using Ferry.Jit;
using Ferry.Linux;
using Ferry.Linux.Elf;

namespace Ferry.Cli;

/// <summary>The <c>ferry</c> command: <c>ferry [options] PROGRAM [ARGS...]</c>.</summary>
internal static class Program
{
    private const int ExitCannotExecute = 126, ExitNotFound = 127, ExitJitMismatch = 125;

    private static int[] Inherited = [];

    private static int Main(string[] args)
    {
        Host.StartupTrace.Mark("runtime started, Main");
        // Before anything of Ferry's opens one: what the guest gets besides 0, 1 and 2, as from exec.
        Inherited = GuestProgram.InheritedDescriptors();
        HostProcess.EnsureForkable();
        Host.StartupTrace.Mark("fork checks");
        Host.HostFloatingPoint.DisturbForTests(Environment.GetEnvironmentVariable("FERRY_TEST_HOST_FP"));
        // Ferry's options come before the program; everything from the program on belongs to the guest,
        // even words that look like options.
        int split = FindProgram(args);
        // `ferry PROGRAM ARGS...`, the way shells, scripts and binfmt run it: no option to parse, so no
        // System.CommandLine, whose set-up and parse cost milliseconds at every start. (A first word
        // starting with @ is a response file to System.CommandLine, so that goes the long way.)
        if (split == 0 && args[0] != "info" && !args[0].StartsWith('@'))
        {
            Host.StartupTrace.Mark("command line parsed (fast path)");
            return Start(args[0], args[1..], strace: false, cpu: null, sysroot: null, jitStats: false, memoryModel: null);
        }
        return ParseAndStart(args, split);
    }

    // The full command line, through System.CommandLine: in a method of its own so that the fast path
    // does not even load that assembly.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static int ParseAndStart(string[] args, int split)
    {
        var ferryArgs = split < 0 ? args : args[..(split + 1)];
        var guestArgs = split < 0 ? Array.Empty<string>() : args[(split + 1)..];

        var strace = new Option<bool>("--strace") { Description = "Trace the guest's system calls to standard error, like strace." };
        var cpu = new Option<string>("--cpu")
        {
            Description = $"The CPU the program sees: x86-64, v2 or v3 (default: the highest Ferry has proven, now {LevelName(CpuidModel.HighestProvenLevel)}). Lower it for programs that misbehave.",
        };
        cpu.AcceptOnlyFromAmong("x86-64", "v2", "v3");
        var sysroot = new Option<string>("--sysroot")
        {
            Description = "A directory with an x86-64 userland: absolute paths the program opens, stats or runs (its ELF interpreter too) are looked up there first, then on the host (default: $FERRY_SYSROOT, else none).",
        };
        var jit = new Option<string>("--jit") { Description = "Compile hot guest code (on, the default) or only interpret it (off; also FERRY_JIT=0)." };
        jit.AcceptOnlyFromAmong("on", "off");
        var verifyJit = new Option<bool>("--verify-jit") { Description = "Check every run of compiled code against the interpreter and stop at the first difference (slow; for finding JIT bugs)." };
        var jitStats = new Option<bool>("--jit-stats") { Description = "At exit, print to standard error how many blocks were compiled and how many runs --verify-jit checked." };
        var jitThreshold = new Option<int?>("--jit-threshold") { Description = $"How many times a block runs before it is compiled (default {new JitOptions().Threshold}; also FERRY_JIT_THRESHOLD)." };
        var memoryModel = new Option<string>("--memory-model")
        {
            Description = "How guest memory accesses are ordered: auto (the default: hardware TSO where the kernel offers it, else tso), hardware, tso or relaxed (also FERRY_MEMORY_MODEL). See `ferry info`.",
        };
        memoryModel.AcceptOnlyFromAmong("auto", "hardware", "tso", "relaxed");
        var program = new Argument<string>("program") { Description = "The x86-64 Linux program to run." };
        var guestArguments = new Argument<string[]>("args") { Description = "Arguments for the program.", Arity = ArgumentArity.ZeroOrMore };
        var info = new Command("info", "Print what this host offers Ferry: architecture, page size, address-space bits, hardware TSO and the memory model Ferry would use.")
        {
            memoryModel,
        };
        info.SetAction(parse =>
        {
            if (!ResolveMemoryModel(parse.GetValue(memoryModel), out var requested)) return ExitUsage;
            Console.Out.Write(Host.HostInfo.Report(requested));
            return 0;
        });
        // A plain command named "ferry" rather than RootCommand, whose name would be the assembly's.
        var root = new Command("ferry", "Ferry runs x86-64 Linux programs on any Linux host.")
        {
            strace, cpu, sysroot, jit, verifyJit, jitThreshold, jitStats, memoryModel, new HelpOption(), new VersionOption(), program, guestArguments,
        };
        root.SetAction(parse =>
        {
            Host.StartupTrace.Mark("command line parsed");
            var o = JitOptions.Current;
            if (parse.GetValue(jit) is { } j) o = o with { Enabled = j == "on" };
            if (parse.GetValue(verifyJit)) o = o with { Verify = true };
            if (parse.GetValue(jitThreshold) is { } t)
            {
                if (t < 1) { Console.Error.WriteLine("ferry: --jit-threshold must be at least 1"); return 2; }
                o = o with { Threshold = t };
            }
            JitOptions.Current = o;
            return Start(parse.GetValue(program)!, guestArgs, parse.GetValue(strace), ParseLevel(parse.GetValue(cpu)),
                parse.GetValue(sysroot), parse.GetValue(jitStats), parse.GetValue(memoryModel));
        });
        // `ferry info` is the one subcommand; a program named info is run as ./info.
        if (args.Length > 0 && args[0] == "info") return info.Parse(args[1..]).Invoke();
        return root.Parse(ferryArgs).Invoke();
    }

    private static int Start(string program, string[] guestArgs, bool strace, CpuLevel? cpu, string? sysroot, bool jitStats, string? memoryModel)
    {
        if (!ResolveMemoryModel(memoryModel, out var requested)) return ExitUsage;
        if (!ApplyMemoryModel(requested)) return ExitNoMemoryModel;
        Host.StartupTrace.Mark("memory model");
        return Run(program, guestArgs, strace, cpu, sysroot ?? Environment.GetEnvironmentVariable("FERRY_SYSROOT"), jitStats);
    }

    // The status System.CommandLine gives a bad option value, so a bad FERRY_MEMORY_MODEL gets the same.
    private const int ExitNoMemoryModel = 125, ExitUsage = 1;

    private static bool ResolveMemoryModel(string? option, out MemoryModel.MemoryModelKind requested)
    {
        requested = MemoryModel.MemoryModelKind.Auto;
        var text = option ?? Environment.GetEnvironmentVariable("FERRY_MEMORY_MODEL");
        if (string.IsNullOrEmpty(text)) return true;
        if (MemoryModel.MemoryModelPolicy.Parse(text) is { } k) { requested = k; return true; }
        Console.Error.WriteLine($"ferry: unknown memory model '{text}' (FERRY_MEMORY_MODEL): use auto, hardware, tso or relaxed");
        return false;
    }

    // Hardware TSO is a per-thread CPU mode: the main thread switches here, before the guest starts, and
    // every guest thread it creates switches again as it starts (GuestThreadOrdering), since the runtime,
    // not the guest, decides which host thread creates it.
    private static bool ApplyMemoryModel(MemoryModel.MemoryModelKind requested)
    {
        var probe = MemoryModel.HostTso.ProbeThread();
        var effective = MemoryModel.MemoryModelPolicy.Resolve(requested, probe.Available, out var error);
        if (error != null) { Console.Error.WriteLine($"ferry: {error}"); return false; }
        MemoryModel.MemoryModelPolicy.Requested = requested;
        MemoryModel.MemoryModelPolicy.Effective = effective;
        if (effective == MemoryModel.MemoryModelKind.Hardware && MemoryModel.HostTso.EnableOnThread() is var e && e != 0)
        {
            Console.Error.WriteLine($"ferry: --memory-model hardware: prctl(PR_SET_MEM_MODEL) failed with errno {e}");
            return false;
        }
        return true;
    }

    private static readonly HashSet<string> OptionsWithValue = new() { "--cpu", "--sysroot", "--jit", "--jit-threshold", "--memory-model" };

    private static int FindProgram(string[] args)
    {
        for (int n = 0; n < args.Length; n++)
        {
            if (args[n] == "--") return n + 1 < args.Length ? n + 1 : -1;
            if (OptionsWithValue.Contains(args[n])) { n++; continue; }
            if (!args[n].StartsWith('-')) return n;
        }
        return -1;
    }

    private static string LevelName(CpuLevel l) => l switch { CpuLevel.X86_64 => "x86-64", CpuLevel.V2 => "v2", _ => "v3" };

    private static CpuLevel? ParseLevel(string? s) => s switch
    {
        "x86-64" => CpuLevel.X86_64,
        "v2" => CpuLevel.V2,
        "v3" => CpuLevel.V3,
        _ => null,
    };

    private static int Run(string path, string[] guestArgs, bool strace, CpuLevel? cpu, string? sysroot, bool jitStats)
    {
        var argv = new List<string> { path };
        argv.AddRange(guestArgs);
        ProcessExit exit;
        try
        {
            if (!string.IsNullOrEmpty(sysroot) && !Directory.Exists(sysroot)) return Fail(sysroot, "sysroot is not a directory", ExitCannotExecute);
            if (Directory.Exists(new Linux.Vfs.Sysroot(sysroot).ToHost(path))) return Fail(path, "Is a directory", ExitCannotExecute);
            Linux.LinuxProcess.ForkedChildExit = static e =>
            {
                if (e.Signaled) HostProcess.DieBySignal(e.Signal);
                HostProcess.ExitNow(e.ExitCode);
            };
            exit = GuestProgram.Run(path, argv, null, 0, 1, 2, strace ? Console.Error : null, cpu, sysroot, forwardHostSignals: true, out _, Inherited);
        }
        catch (FileNotFoundException) { return Fail(path, "No such file or directory", ExitNotFound); }
        catch (DirectoryNotFoundException) { return Fail(path, "No such file or directory", ExitNotFound); }
        catch (UnauthorizedAccessException) { return Fail(path, "Permission denied", ExitCannotExecute); }
        catch (ElfException e) { return Fail(path, e.Message, ExitCannotExecute); }
        catch (IOException e) { return Fail(path, e.Message, ExitCannotExecute); }
        catch (JitVerificationException e)
        {
            Console.Out.Flush();
            Console.Error.WriteLine($"ferry: {path}: {e.Message}");
            return ExitJitMismatch;
        }
        Host.StartupTrace.Mark("guest ran and exited");
        if (jitStats)
        {
            var (compiled, verified, unverified) = JitEngine.Totals;
            Console.Error.WriteLine($"ferry: jit: {compiled} blocks compiled, {verified} runs verified, {unverified} runs not checkable, {JitEngine.CompileMilliseconds:F0} ms translating");
        }
        JitFallbacks();
        if (exit.Signaled) HostProcess.DieBySignal(exit.Signal);
        // A forked copy of the emulator has none of the runtime's other threads to shut down with, and no
        // process needs the runtime's shutdown: leave at once.
        HostProcess.ExitNow(exit.ExitCode);
        return exit.ExitCode;
    }

    // FERRY_JIT_FALLBACKS=1: what compiled code still hands to the interpreter (the JIT's to-do list).
    private static void JitFallbacks() => FallbackCounter.Print(Console.Error);

    private static int Fail(string path, string message, int status)
    {
        Console.Error.WriteLine($"ferry: {path}: {message}");
        return status;
    }
}
