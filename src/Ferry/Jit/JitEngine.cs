using System.Runtime.ExceptionServices;
using System.Text;
using Ferry.Cpu;
using Ferry.Decoding;
using Ferry.Memory;
using Iced.Intel;

namespace Ferry.Jit;

/// <summary>The JIT tier of one interpreter: counts block executions, compiles hot blocks with
/// <see cref="BlockTranslator"/> and runs them, optionally cross-checking every run against the
/// interpreter (<see cref="JitOptions.Verify"/>).</summary>
public sealed unsafe class JitEngine
{
    /// <summary>The options this engine was made with.</summary>
    public JitOptions Options { get; }

    /// <summary>Blocks compiled so far.</summary>
    public int CompiledBlocks => Volatile.Read(ref _compiledBlocks);

    private int _compiledBlocks;

    /// <summary>Runs of compiled blocks cross-checked against the interpreter.</summary>
    public long VerifiedRuns { get; private set; }

    /// <summary>Runs of compiled blocks that co-simulation could not check (see <see cref="CompiledBlock.Verifiable"/>).</summary>
    public long UnverifiedRuns { get; private set; }

    private readonly Func<ulong, Block?>? _successor, _peek;

    // FERRY_JIT_TRACE=1: say why a block stays interpreted.
    private static readonly bool Trace = Environment.GetEnvironmentVariable("FERRY_JIT_TRACE") == "1";

    // Block.Heat while the block waits for the compile worker: negative, so the dispatcher stops counting.
    private const int Queued = -1;

    /// <param name="options">How to run.</param>
    /// <param name="code">The decoded-code cache the blocks come from: the translator looks at successor blocks
    /// to see which flags they read (without it, every flag is live at block exits).</param>
    public JitEngine(JitOptions options, CodeCache? code = null)
    {
        Options = options;
        if (code != null)
        {
            _successor = a =>
            {
                try { return code.Get(a); }
                catch (MemoryFault) { return null; }
            };
            // The worker never decodes: guest memory may be unmapped under it at any moment by a guest thread,
            // and only the guest threads' accesses are checked against that.
            _peek = code.Peek;
            code.Cleared += () => CompileWorker.Drop(this);
        }
    }

    /// <summary>Finds the decoded block at a guest address if it is at hand, without decoding (the
    /// interpreter's cache of recent blocks): how chained compiled code finds its successor.</summary>
    public Func<ulong, Block?>? Lookup { get; set; }

    private static long _totalCompiled, _totalVerified, _totalUnverified, _compileNanoseconds;

    /// <summary>Process-wide CPU time of the compiling threads spent translating and compiling (RyuJIT's compilation
    /// of the generated methods included), in milliseconds. CPU time, not wall-clock: on a loaded machine a
    /// compilation's wall time is mostly waiting for a core.</summary>
    public static double CompileMilliseconds => Interlocked.Read(ref _compileNanoseconds) / 1e6;

    private static long ThreadCpuNanoseconds()
    {
        long* ts = stackalloc long[2];
        return Host.LibC.ClockGettime(3 /* CLOCK_THREAD_CPUTIME_ID */, ts) == 0 ? ts[0] * 1_000_000_000 + ts[1] : 0;
    }

    /// <summary>Process-wide totals over every engine: blocks compiled, runs verified, runs co-simulation
    /// could not check (for <c>ferry --jit-stats</c>).</summary>
    public static (long Compiled, long Verified, long Unverified) Totals =>
        (Interlocked.Read(ref _totalCompiled), Interlocked.Read(ref _totalVerified), Interlocked.Read(ref _totalUnverified));

    /// <summary>Runs <paramref name="b"/> as compiled code if it is hot, compiling it (or queueing it for the
    /// compile worker) when it becomes hot. Returns false when the interpreter should run the block instead.
    /// With <see cref="JitOptions.Chain"/>, compiled code whose successor is compiled too goes straight on to it;
    /// <paramref name="b"/> is then the last block that ran. A guest fault propagates with
    /// <paramref name="instructions"/>[<paramref name="index"/>] the faulting instruction (the array becomes the
    /// compiled region's) and the registers stored as of it, exactly as the interpreter leaves them.</summary>
    public bool TryRun(Processor p, ref Block b, ref Instruction[] instructions, ref int index)
    {
        if (Options.Verify) VerifyGate.Pass();
        var c = b.Compiled;
        if (c != null && !c.Region.Block.Valid)
        {
            // An entry into a region whose code changed on a page this block does not share: the block itself is
            // still good, and counts towards compiling code of its own.
            b.Compiled = c = null;
            b.Heat = 0;
        }
        if (c == null)
        {
            if (b.Heat < 0 || ++b.Heat < Options.Threshold) return false;
            bool region = Options.RegionThreshold <= 1;
            if (Options.Background && CompileWorker.Available && !Options.Verify)
            {
                b.Heat = Queued;
                CompileWorker.Enqueue(this, b, region, p.Memory);
                return false;
            }
            c = Compile(b, region, p.Memory, _successor);
            if (c == null) return false;
            Publish(b, c);
        }
        if (Options.Verify)
        {
            instructions = c.Instructions;
            return RunVerified(p, c, ref index);
        }
        while (true)
        {
            if (c.Runs >= 0 && ++c.Runs >= Options.RegionThreshold) c = Upgrade(p, b, c);
            instructions = c.Instructions;
            index = c.Entry;
            Entered?.Invoke(c);
            c.Code(p, ref index);
            // Compiled code knows nothing of the trap flag (a POPF may have set it): the interpreter single-steps.
            if (!Options.Chain || p.MustLeave || (p.State.Rflags & Flags.TF) != 0) return true;
            ulong rip = p.State.Rip;
            var n = b.Next;
            if (n == null || n.Start != rip || !n.Valid)
            {
                n = Lookup?.Invoke(rip);
                if (n == null) return true;
                if (b.Valid) b.Next = n;
            }
            if (n.Compiled is not { } nc || !nc.Region.Block.Valid) return true;
            b = n;
            c = nc;
        }
    }

    // Very hot: compile again with the blocks it branches to, so loops of several blocks stay in compiled code.
    // Only hot code pays for the larger compilation.
    private CompiledBlock Upgrade(Processor p, Block b, CompiledBlock c)
    {
        c.Runs = int.MinValue; // once
        if (_successor == null) return c;
        if (Options.Background && CompileWorker.Available)
        {
            CompileWorker.Enqueue(this, b, region: true, p.Memory);
            return c;
        }
        var r = Compile(b, region: true, p.Memory, _successor);
        if (r == null) return c;
        Publish(b, r);
        return r;
    }

    /// <summary>The compile worker's part: translates and compiles <paramref name="b"/> and publishes the code,
    /// unless guest code under the block changed meanwhile (self-modifying code, munmap, mprotect, exec all
    /// clear <see cref="Block.Valid"/>, which is checked after the code is in place and wins).</summary>
    internal void CompileQueued(Block b, bool region, GuestMemory memory)
    {
        // Exec, munmap or a store may have come first; or the block became part of a region compiled meanwhile.
        if (!b.Valid || b.Compiled is { } now && (!region || now.RegionBlocks > 1)) return;
        var c = Compile(b, region, memory, _peek);
        if (c == null) return;
        BeforePublish?.Invoke(b);
        Publish(b, c);
    }

    /// <summary>Tests: called each time the dispatcher enters compiled code (how often control left it).</summary>
    internal Action<CompiledBlock>? Entered { get; set; }

    /// <summary>Tests: runs on the compile worker between a block's compilation and its publication.</summary>
    internal Action<Block>? BeforePublish { get; set; }

    /// <summary>Makes <paramref name="c"/> the code of <paramref name="b"/>, and an entry into it the code of every
    /// other block of the region that has none yet or only a single-block method: no block of a region is then
    /// compiled into a region of its own.</summary>
    private static void Publish(Block b, CompiledBlock c)
    {
        b.Compiled = c;
        for (int j = 1; j < c.Members.Count; j++)
        {
            var m = c.Members[j];
            // A member compiled alone is replaced too: in the region its loops stay in compiled code, and it no
            // longer needs a region of its own.
            if (m.Valid && m.Compiled is null or { RegionBlocks: 1 }) m.Compiled = new CompiledBlock(c, j);
        }
        // An invalidation that came in between: the block is dead, and no dispatcher takes code from a dead block
        // (every use checks Block.Valid after loading Compiled), but do not leave its code reachable either.
        if (!b.Valid) b.Compiled = null;
    }

    /// <summary>A block queued before a fork that the child's (new) worker never saw: counted again.</summary>
    internal void Requeue(Block b)
    {
        if (b.Heat == Queued) b.Heat = 0;
    }

    /// <summary>Translates <paramref name="b"/> and has RyuJIT compile the method (the generated code returns at
    /// once when called without a processor), so a translator bug that RyuJIT rejects is found here and the block
    /// stays with the interpreter, and so a worker's compilation leaves nothing for the guest's thread to do.</summary>
    private CompiledBlock? Compile(Block b, bool region, GuestMemory memory, Func<ulong, Block?>? successor)
    {
        long t0 = ThreadCpuNanoseconds();
        try
        {
            var c = BlockTranslator.Translate(b, Options.Verify, successor, region, memory.Accessors);
            // A region is never compiled again as a larger one.
            if (region) c.Runs = int.MinValue;
            int none = 0;
            c.Code(null!, ref none);
            if (Trace) Console.Error.WriteLine($"ferry: jit: 0x{b.Start:x}: {c.RegionBlocks} blocks, {c.InlineCount}/{c.Instructions.Length} instructions inline, {c.ILSize} bytes of IL");
            Interlocked.Increment(ref _compiledBlocks);
            Interlocked.Increment(ref _totalCompiled);
            return c;
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or ArgumentException or InvalidProgramException)
        {
            // A block the translator cannot express, or whose IL RyuJIT rejects, stays with the interpreter for good.
            if (Trace) Console.Error.WriteLine($"ferry: jit: block at 0x{b.Start:x} not compiled: {e.Message}");
            b.Heat = int.MinValue;
            return null;
        }
        finally
        {
            Interlocked.Add(ref _compileNanoseconds, ThreadCpuNanoseconds() - t0);
        }
    }

    // Co-simulation. The compiled block runs first with its stores journaled (old and new values); the stores
    // are then undone, the state is reset and the interpreter runs the same block. Registers, RFLAGS, RIP, the
    // stop reason, any fault, and the bytes the compiled code stored must agree. The interpreter's run is the
    // one that stands. Blocks whose fall-back handlers store to memory are not journaled and so not checked
    // (they would run twice against memory); the count is kept in UnverifiedRuns.
    private bool RunVerified(Processor p, CompiledBlock c, ref int index)
    {
        if (!c.Verifiable)
        {
            UnverifiedRuns++;
            Interlocked.Increment(ref _totalUnverified);
            c.Code(p, ref index);
            return true;
        }
        var start = p.State;
        var startStop = p.Stop;
        int kj = 0;
        Exception? ej = null;
        StoreJournal.Begin();
        try { c.Code(p, ref kj); }
        catch (MemoryFault f) { ej = f; }
        catch (CpuException e) { ej = e; }
        var jit = p.State;
        var jitStop = p.Stop;
        var stored = StoreJournal.FinalBytes();
        StoreJournal.Undo(p.Memory);

        p.State = start;
        p.Stop = startStop;
        var ins = c.Instructions;
        var h = c.Block.Handlers;
        int ki = 0;
        Exception? ei = null;
        try
        {
            for (; ki < ins.Length; ki++)
            {
                ref Instruction i = ref ins[ki];
                p.State.Rip = i.NextIP;
                ((delegate*<Processor, in Instruction, void>)h[ki])(p, in i);
                if (p.Stop != StopKind.None) break;
            }
        }
        catch (MemoryFault f) { ei = f; }
        catch (CpuException e) { ei = e; }
        if (ki == ins.Length) ki = ins.Length - 1;

        var diff = Compare(p, c, jit, jitStop, kj, ej, ki, ei, stored);
        if (diff != null) throw new JitVerificationException(c.Block.Start, diff);
        VerifiedRuns++;
        Interlocked.Increment(ref _totalVerified);
        if (ei != null)
        {
            index = ki;
            ExceptionDispatchInfo.Throw(ei);
        }
        return true;
    }

    private static readonly string[] GprNames =
        ["RAX", "RCX", "RDX", "RBX", "RSP", "RBP", "RSI", "RDI", "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15"];

    private static string? Compare(Processor p, CompiledBlock c, in CpuState jit, StopKind jitStop, int kj, Exception? ej,
        int ki, Exception? ei, Dictionary<ulong, byte> stored)
    {
        ref CpuState s = ref p.State;
        var diffs = new List<string>();
        string Fault(Exception? e, int k) => e switch
        {
            null => "none",
            MemoryFault f => $"{(f.IsWrite ? "write" : "read")} fault at 0x{f.Address:x} in instruction {k} (0x{c.Instructions[k].IP:x})",
            CpuException x => $"{x.Kind} (address 0x{x.Address:x}, code {x.Code}) in instruction {k} (0x{c.Instructions[k].IP:x})",
            _ => e.GetType().Name,
        };
        string fj = Fault(ej, kj), fi = Fault(ei, ki);
        if (fj != fi) diffs.Add($"fault: jit {fj}, interpreter {fi}");
        for (int r = 0; r < 16; r++)
            if (jit.Gpr[r] != s.Gpr[r]) diffs.Add($"{GprNames[r]}: jit 0x{jit.Gpr[r]:x}, interpreter 0x{s.Gpr[r]:x}");
        // Flags no successor reads were not computed; the exit taken says which are exact.
        ulong flagMask = ej == null ? ~Flags.Status | c.ExitLive : ulong.MaxValue;
        if ((jit.Rflags & flagMask) != (s.Rflags & flagMask)) diffs.Add($"RFLAGS: jit 0x{jit.Rflags:x}, interpreter 0x{s.Rflags:x}");
        // A faulting run's RIP is set by the run loop from the faulting index, compared above.
        if (ej == null && ei == null && jit.Rip != s.Rip) diffs.Add($"RIP: jit 0x{jit.Rip:x}, interpreter 0x{s.Rip:x}");
        if (jitStop != p.Stop) diffs.Add($"stop: jit {jitStop}, interpreter {p.Stop}");
        for (int n = 0; n < 64; n++)
            if (jit.Vec[n] != s.Vec[n]) { diffs.Add($"XMM{n / 4} qword {n % 4}: jit 0x{jit.Vec[n]:x}, interpreter 0x{s.Vec[n]:x}"); break; }
        foreach (var (a, v) in stored.OrderBy(kv => kv.Key))
        {
            byte now = p.Memory.Pages[a >> PageMap.PageShift].HasFlag(PageFlags.Read) ? p.Memory.Read8(a) : (byte)0;
            if (now != v) { diffs.Add($"memory at 0x{a:x}: jit 0x{v:x2}, interpreter 0x{now:x2}"); break; }
        }
        if (diffs.Count == 0) return null;
        var sb = new StringBuilder();
        sb.Append($"JIT verification failed in the block at 0x{c.Block.Start:x}: ").AppendJoin("; ", diffs).AppendLine();
        sb.AppendLine("block:");
        var fmt = new NasmFormatter();
        var o = new StringOutput();
        for (int n = 0; n < c.Instructions.Length; n++)
        {
            ref Instruction i = ref c.Instructions[n];
            fmt.Format(i, o);
            sb.AppendLine($"  0x{i.IP:x}: {o.ToStringAndReset()}");
        }
        return sb.ToString();
    }
}
