using Ferry.Cpu;
using Ferry.Jit;
using Iced.Intel;

namespace Ferry.Tests.Oracle;

/// <summary>Runs one instruction on the host CPU and under the interpreter from the same random
/// state and reports the first difference. One instance per test class (it owns executable memory).</summary>
public sealed class DifferentialHarness : IDisposable
{
    public NativeCpu Native { get; }
    private readonly bool _segments;
    /// <summary>Ferry's side: the interpreter, or the JIT tier when the harness was made with JIT options.</summary>
    public SnippetRunner Interpreter { get; }
    /// <summary>R15 points here in every state: memory operands use it as their base.</summary>
    public ulong DataBase => Native.Scratch + 0x1000;

    /// <param name="jit">JIT options for Ferry's side, or null for the interpreter.</param>
    /// <param name="segments">Whether the FS/GS bases and the data segment selectors are part of the register
    /// file (see <see cref="NativeCpu"/>): random canonical bases, compared after the run.</param>
    public DifferentialHarness(JitOptions? jit = null, bool segments = false)
    {
        _segments = segments;
        Native = new NativeCpu(segments);
        Interpreter = new SnippetRunner(jit);
        Interpreter.Share(Native.Scratch, NativeCpu.ScratchSize);
    }

    public static byte[] Assemble(Action<Assembler> emit)
    {
        var a = new Assembler(64);
        emit(a);
        var w = new BytesWriter();
        a.Assemble(w, 0x10000);
        return w.Bytes.ToArray();
    }

    private static readonly ulong[] Edge =
    {
        0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
        0x1_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFE,
        0x8000_0000_0000_0001, 31, 32, 63, 64,
    };

    public static ulong RandomValue(Random r) => r.Next(3) switch
    {
        0 => Edge[r.Next(Edge.Length)],
        1 => (ulong)r.NextInt64() ^ ((ulong)r.Next() << 33),
        _ => (ulong)r.Next(-300, 300),
    };

    /// <summary>A random register file: GPRs from edge cases and random values, random status flags,
    /// RSP and R15 inside the scratch area, scratch memory randomised.</summary>
    public unsafe CpuState RandomState(Random r)
    {
        var s = new CpuState();
        s.Reset();
        for (int n = 0; n < 16; n++) s.Gpr[n] = RandomValue(r);
        s.Gpr[CpuState.Rsp] = Native.Scratch + 0x3000;
        s.Gpr[15] = DataBase;
        s.Rflags = Flags.Reserved1 | Flags.IF | ((ulong)r.Next() & Flags.Status);
        if (_segments)
        {
            s.FsBase = (ulong)r.NextInt64(1L << 47);
            s.GsBase = r.Next(4) == 0 ? 0 : (ulong)r.NextInt64(1L << 47);
        }
        var mem = new Span<byte>((void*)Native.Scratch, NativeCpu.ScratchSize);
        r.NextBytes(mem);
        return s;
    }

    /// <summary>Runs <paramref name="code"/> both ways from <paramref name="start"/> and returns a description of
    /// the first difference (registers, flags outside <paramref name="undefinedFlags"/>, scratch memory), or null.</summary>
    /// <param name="reconcile">For instructions whose results the host and Ferry legitimately differ in (CPUID's
    /// model, the time stamp counter): checks the shape of Ferry's result against the native one and returns a
    /// description of the difference, or null after copying the native values into Ferry's state so that the
    /// rest of the register file is compared as usual.</param>
    public unsafe string? Compare(byte[] code, CpuState start, ulong undefinedFlags = 0, Reconcile? reconcile = null)
    {
        var mem = new Span<byte>((void*)Native.Scratch, NativeCpu.ScratchSize);
        var before = mem.ToArray();
        var native = start;
        Native.Run(ref native, code);
        var afterNative = mem.ToArray();
        before.CopyTo(mem);
        var emu = start;
        var fault = Interpreter.Run(ref emu, code);
        if (fault != null) return $"interpreter raised {fault.Kind}";
        if (reconcile != null && reconcile(native, ref emu) is { } bad) return bad;
        for (int n = 0; n < 16; n++)
            if (native.Gpr[n] != emu.Gpr[n]) return $"GPR{n}: native 0x{native.Gpr[n]:x} ferry 0x{emu.Gpr[n]:x}";
        ulong mask = Flags.Status | Flags.DF;
        mask &= ~undefinedFlags;
        if ((native.Rflags & mask) != (emu.Rflags & mask))
            return $"RFLAGS: native 0x{native.Rflags & mask:x} ferry 0x{emu.Rflags & mask:x}";
        for (int n = 0; n < 64; n++)
            if (native.Vec[n] != emu.Vec[n]) return $"XMM{n / 4} qword {n % 4}: native 0x{native.Vec[n]:x} ferry 0x{emu.Vec[n]:x}";
        if (native.Mxcsr != emu.Mxcsr) return $"MXCSR: native 0x{native.Mxcsr:x} ferry 0x{emu.Mxcsr:x}";
        if (_segments)
        {
            if (native.FsBase != emu.FsBase) return $"FS base: native 0x{native.FsBase:x} ferry 0x{emu.FsBase:x}";
            if (native.GsBase != emu.GsBase) return $"GS base: native 0x{native.GsBase:x} ferry 0x{emu.GsBase:x}";
            (string, ushort, ushort)[] sel = [("DS", native.Ds, emu.Ds), ("ES", native.Es, emu.Es), ("FS", native.Fs, emu.Fs), ("GS", native.Gs, emu.Gs), ("SS", native.Ss, emu.Ss)];
            foreach (var (name, n, e) in sel)
                if (n != e) return $"{name}: native 0x{n:x} ferry 0x{e:x}";
        }
        var afterEmu = mem.ToArray();
        for (int n = 0; n < afterEmu.Length; n++)
            if (afterEmu[n] != afterNative[n]) return $"memory at scratch+0x{n:x}: native 0x{afterNative[n]:x2} ferry 0x{afterEmu[n]:x2}";
        CoverageLog.Passed(code);
        return null;
    }

    /// <summary>See <see cref="Compare"/>.</summary>
    public delegate string? Reconcile(in CpuState native, ref CpuState ferry);

    public void Dispose()
    {
        Interpreter.Dispose();
        Native.Dispose();
    }

    private sealed class BytesWriter : CodeWriter
    {
        public readonly List<byte> Bytes = new();
        public override void WriteByte(byte value) => Bytes.Add(value);
    }
}
