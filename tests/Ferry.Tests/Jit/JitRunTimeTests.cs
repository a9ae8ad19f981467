using Ferry.Cpu;
using Ferry.Decoding;
using Ferry.Jit;
using Ferry.Memory;
using Ferry.Tests.Oracle;
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.Jit;

/// <summary>The JIT's run-time structure: compilation on the worker thread, invalidation racing it, other
/// blocks of a region entering the region's code, and compiled code chained to compiled code. Every run is
/// compared with the interpreter alone on the same code and state.</summary>
public sealed class JitRunTimeTests
{
    private sealed class Guest : IDisposable
    {
        public GuestMemory Memory { get; } = new();
        public Ferry.Interpreter.Interpreter Interp { get; }
        public JitEngine? Jit { get; }
        public ulong Code { get; }

        public Guest(JitOptions? options)
        {
            long a = Memory.Map(0, 4 * 4096, 7, GuestMemory.MapPrivate | GuestMemory.MapAnonymous, -1, 0);
            Assert.True(a > 0);
            Code = (ulong)a;
            Interp = new Ferry.Interpreter.Interpreter(Memory);
            Jit = options == null ? null : new JitEngine(options, Interp.Code);
            Interp.Jit = Jit;
        }

        public void Write(Action<Assembler> emit)
        {
            var a = new Assembler(64);
            emit(a);
            var w = new StreamCodeWriter(new MemoryStream());
            a.Assemble(w, Code);
            Memory.WriteBytes(Code, ((MemoryStream)w.Stream).ToArray());
            Interp.Code.InvalidateRange(Code, 4096);
        }

        /// <summary>Runs from the start of the code until it raises #UD (the programs end with UD2).</summary>
        public CpuState Run(ulong rax, ulong rbx)
        {
            var p = new Processor(Memory);
            p.State.Gpr[CpuState.Rsp] = Code + 4 * 4096;
            p.State.Gpr[CpuState.Rax] = rax;
            p.State.Gpr[CpuState.Rbx] = rbx;
            p.State.Rip = Code;
            Assert.Equal(StopKind.Exception, Interp.Run(p));
            Assert.Equal(CpuExceptionKind.InvalidOpcode, p.Exception!.Kind);
            return p.State;
        }

        public void Dispose() => Memory.Dispose();
    }

    // Each guest has its code (and stack) where its mapping landed: RSP and RIP are compared relative to it.
    private static void SameState(Guest want, Guest got, ulong rax, ulong rbx, string what)
    {
        var w = want.Run(rax, rbx);
        var g = got.Run(rax, rbx);
        w.Gpr[CpuState.Rsp] -= want.Code;
        g.Gpr[CpuState.Rsp] -= got.Code;
        for (int r = 0; r < 16; r++) Assert.True(w.Gpr[r] == g.Gpr[r], $"{what}: register {r}: 0x{w.Gpr[r]:x} != 0x{g.Gpr[r]:x}");
        Assert.True(w.Rip - want.Code == g.Rip - got.Code, $"{what}: RIP");
        Assert.True((w.Rflags & Flags.Status) == (g.Rflags & Flags.Status), $"{what}: RFLAGS 0x{w.Rflags:x} != 0x{g.Rflags:x}");
    }

    // A loop of three blocks; the multiplier is the immediate that the invalidation test rewrites.
    private static Action<Assembler> Loop(int multiplier) => a =>
    {
        var top = a.CreateLabel();
        var odd = a.CreateLabel();
        var next = a.CreateLabel();
        a.mov(ecx, 300);
        a.Label(ref top);
        a.test(ecx, 1);
        a.jnz(odd);
        a.imul(rax, rax, multiplier);
        a.jmp(next);
        a.Label(ref odd);
        a.add(rax, rbx);
        a.Label(ref next);
        a.dec(ecx);
        a.jnz(top);
        a.ud2();
    };

    [Fact]
    public void CodeCompiledInTheBackgroundIsPublishedAndAgreesWithTheInterpreter()
    {
        using var reference = new Guest(null);
        using var g = new Guest(new JitOptions { Threshold = 4, Background = true });
        reference.Write(Loop(3));
        g.Write(Loop(3));
        SameState(reference, g, 5, 7, "first run");
        CompileWorker.Drain();
        var top = g.Interp.Code.Peek(g.Code + 5)!;
        Assert.NotNull(top.Compiled);
        int compiled = g.Jit!.CompiledBlocks;
        Assert.True(compiled > 0);
        for (ulong n = 0; n < 5; n++) SameState(reference, g, n, n * 11 + 1, $"run {n}");
    }

    [Fact]
    public void CodeChangedWhileItsCompilationWasInFlightIsNotRun()
    {
        using var reference = new Guest(null);
        using var g = new Guest(new JitOptions { Threshold = 4, Background = true });
        g.Write(Loop(3));
        var stale = new List<Block>();
        // The guest rewrites the code between the worker's compilation and its publication.
        g.Jit!.BeforePublish = b =>
        {
            stale.Add(b);
            g.Jit.BeforePublish = null;
            g.Write(Loop(5));
        };
        g.Run(5, 7);
        CompileWorker.Drain();
        Assert.NotEmpty(stale);
        Assert.All(stale, b => Assert.Null(b.Compiled));
        reference.Write(Loop(5));
        for (ulong n = 0; n < 5; n++) SameState(reference, g, n, n + 2, $"run {n} after the rewrite");
    }

    // The first block branches to both `member` and `mid`; `mid` leaves through an indirect jump and comes back
    // at `member`, so compiled code enters the first block's region at another of its blocks.
    private static void Entries(Assembler a)
    {
        EntriesBody(a);
        a.ud2();
    }

    // Entries without its end, for the host CPU to run as well.
    private static void EntriesBody(Assembler a)
    {
        var member = a.CreateLabel();
        var top = a.CreateLabel();
        a.lea(r8, __[member]);
        a.test(rax, 1);
        a.jz(member);
        a.add(rbx, rax);
        a.jmp(r8);
        a.Label(ref member);
        a.mov(ecx, 9);
        a.Label(ref top);
        a.imul(rbx, rbx, 7);
        a.add(rdx, rbx);
        a.dec(ecx);
        a.jnz(top);
        a.xor(r8d, r8d);
    }

    [Fact]
    public void ABlockOfACompiledRegionRunsTheRegionsCode()
    {
        using var reference = new Guest(null);
        using var g = new Guest(new JitOptions { Threshold = 1, RegionThreshold = 1 });
        reference.Write(Entries);
        g.Write(Entries);
        for (ulong n = 0; n < 6; n++) SameState(reference, g, n, 3 * n + 1, $"rax {n}");
        var head = g.Interp.Code.Peek(g.Code)!;
        var member = g.Interp.Code.Peek(head.Instructions[0].MemoryDisplacement64)!;
        Assert.NotNull(head.Compiled);
        Assert.True(ReferenceEquals(head.Compiled, member.Compiled!.Region), $"member 0x{member.Start:x} runs 0x{member.Compiled.Region.Block.Start:x}'s code ({member.Compiled.Region.RegionBlocks} blocks), not 0x{head.Start:x}'s ({head.Compiled.RegionBlocks} blocks, {string.Join(",", head.Compiled.Members.Select(m => $"0x{m.Start:x}"))})");
        Assert.True(member.Compiled.Entry > 0);
        Assert.Equal(1, g.Jit!.CompiledBlocks);
    }

    [Fact]
    public void RegionEntriesMatchTheHostCpu()
    {
        using var h = new DifferentialHarness(new JitOptions { Threshold = 1, RegionThreshold = 1 });
        var code = DifferentialHarness.Assemble(a =>
        {
            EntriesBody(a);
            a.nop();
        });
        var r = new Random(6);
        for (int n = 0; n < 30; n++)
        {
            var diff = h.Compare(code, h.RandomState(r));
            Assert.True(diff == null, $"case {n}: {diff}");
        }
    }

    [Fact]
    public void ChainingOffGivesTheSameResults()
    {
        using var reference = new Guest(null);
        using var chained = new Guest(new JitOptions { Threshold = 1, RegionThreshold = 1 });
        using var unchained = new Guest(new JitOptions { Threshold = 1, RegionThreshold = 1, Chain = false });
        foreach (var g in new[] { reference, chained, unchained }) g.Write(Entries);
        for (ulong n = 0; n < 6; n++)
        {
            SameState(reference, chained, n, n + 5, $"chained, rax {n}");
            SameState(reference, unchained, n, n + 5, $"unchained, rax {n}");
        }
    }

    // fib(n) by plain recursion (two calls and one return per visit), n in RAX, the result in RBX.
    private static void Recursion(Assembler a)
    {
        var fib = a.CreateLabel();
        var rec = a.CreateLabel();
        var done = a.CreateLabel();
        a.mov(rdi, rax);
        a.call(fib);
        a.mov(rbx, rax);
        a.jmp(done);
        a.Label(ref fib);
        a.cmp(rdi, 2);
        a.jae(rec);
        a.mov(rax, rdi);
        a.ret();
        a.Label(ref rec);
        a.push(rdi);
        a.dec(rdi);
        a.call(fib);
        a.pop(rdi);
        a.push(rax);
        a.sub(rdi, 2);
        a.call(fib);
        a.pop(rsi);
        a.add(rax, rsi);
        a.ret();
        a.Label(ref done);
        a.ud2();
    }

    [Fact]
    public void CallsAndReturnsInsideARegionStayInItsCode()
    {
        using var reference = new Guest(null);
        using var g = new Guest(new JitOptions { Threshold = 1, RegionThreshold = 1 });
        reference.Write(Recursion);
        g.Write(Recursion);
        // Compiles the regions, then counts how often the dispatcher has to enter compiled code again.
        SameState(reference, g, 6, 0, "warm-up");
        long entries = 0;
        var seen = new Dictionary<string, int>();
        g.Jit!.Entered = c => { entries++; var k = $"{c.Block.Start - g.Code:x}/{c.Region.Block.Start - g.Code:x}/{c.RegionBlocks}"; seen[k] = seen.GetValueOrDefault(k) + 1; };
        // fib(16) makes 3193 calls; each returning to the dispatcher would enter compiled code twice per call.
        SameState(reference, g, 16, 0, "fib(16)");
        Assert.True(entries < 200, $"{entries} entries into compiled code: {string.Join(", ", seen)}");
        for (ulong n = 0; n < 12; n++) SameState(reference, g, n, 0, $"fib({n})");
    }

    [Fact]
    public void ReturnsMatchTheHostCpu()
    {
        using var h = new DifferentialHarness(new JitOptions { Threshold = 1, RegionThreshold = 1 });
        var code = DifferentialHarness.Assemble(a =>
        {
            // Calls to a function that returns past its return site when RAX is odd (so the region's prediction
            // misses), and one that returns normally.
            var f = a.CreateLabel();
            var g = a.CreateLabel();
            var past = a.CreateLabel();
            var end = a.CreateLabel();
            a.and(eax, 7);
            a.call(f);
            a.add(rbx, 1000);
            a.Label(ref past);
            a.call(g);
            a.xor(rcx, rbx);
            a.jmp(end);
            a.Label(ref f);
            a.add(rbx, rax);
            a.test(eax, 1);
            a.jz(g);
            a.lea(rsi, __[past]);
            a.mov(__qword_ptr[rsp], rsi);
            a.Label(ref g);
            a.imul(rbx, rbx, 3);
            a.ret();
            a.Label(ref end);
            a.mov(__qword_ptr[rsp - 8], 0); // return addresses differ between the native and the emulated run
            a.mov(__qword_ptr[rsp - 16], 0);
            a.xor(esi, esi);
        });
        var r = new Random(8);
        for (int n = 0; n < 30; n++)
        {
            var diff = h.Compare(code, h.RandomState(r));
            Assert.True(diff == null, $"case {n}: {diff}");
        }
    }
}
