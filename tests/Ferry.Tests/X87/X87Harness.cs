using Xunit;
using System.Text;
using Ferry.Cpu;
using Ferry.Tests.Oracle;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.X87;

/// <summary>Runs x87 snippets natively and under the interpreter and compares the complete x87
/// state, RFLAGS, the GPRs, XMM/MXCSR and the scratch memory.</summary>
public sealed class X87Harness : IDisposable
{
    public NativeCpu Native { get; } = new();
    public SnippetRunner Runner { get; } = new();
    /// <summary>Memory operands live in the first three scratch pages; the last one is the stack.</summary>
    public ulong Data => Native.Scratch;
    public const int DataSize = 3 * 4096;
    private readonly byte[] _initial = new byte[DataSize];
    private readonly StringBuilder _failures = new();
    private readonly StringBuilder _nearMissLog = new();
    public string NearMissLog => _nearMissLog.ToString();
    private int _failureCount, _cases;
    /// <summary>FSW bits not compared (the manual's undefined condition codes, where the hardware differs).</summary>
    public ushort IgnoreFsw { get; set; }
    public bool CompareFpr { get; set; } = true;
    /// <summary>Bytes of the data area not compared (e.g. FIP/FDP fields of a saved environment).</summary>
    public List<(int Offset, int Length)> IgnoreMemory { get; } = new();
    /// <summary>Bytes that the native run may leave zero where the emulator stores a value: the saved
    /// code selector (FCS) reads zero natively once the kernel has switched the thread out and back in
    /// between the x87 instruction and the save, because its 64-bit XRSTOR does not restore FCS.</summary>
    public List<(int Offset, int Length)> NativeMayReadZero { get; } = new();

    public X87Harness()
    {
        if (!System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.Equals(System.Runtime.InteropServices.Architecture.X64))
            throw new PlatformNotSupportedException("the native oracle needs an x86-64 host");
        Runner.Share(Native.Scratch, NativeCpu.ScratchSize);
    }

    public unsafe Span<byte> Memory => new((void*)Data, DataSize);

    /// <summary>A state with every register empty, a valid stack pointer, and RBX pointing at the data area.</summary>
    public CpuState NewState(ushort fcw = 0x037F)
    {
        var s = new CpuState();
        s.Reset();
        s.Fcw = fcw;
        s.Gpr[CpuState.Rsp] = Native.Scratch + NativeCpu.ScratchSize - 256;
        s.Gpr[CpuState.Rbx] = Data;
        return s;
    }

    public static byte[] Assemble(Action<Assembler> build)
    {
        var a = new Assembler(64);
        build(a);
        var w = new Writer();
        a.Assemble(w, 0x1000);
        return w.Bytes.ToArray();
    }

    /// <summary>Runs <paramref name="code"/> both ways from <paramref name="s"/> (and the current data
    /// area contents) and records a failure if anything differs. Returns the native final state.</summary>
    public CpuState Check(string what, CpuState s, byte[] code)
    {
        _cases++;
        Memory.CopyTo(_initial);
        var native = s;
        Native.Run(ref native, code);
        var nativeMem = Memory.ToArray();
        _initial.CopyTo(Memory);
        var emu = s;
        var ex = Runner.Run(ref emu, code);
        var emuMem = Memory.ToArray();
        var diff = new StringBuilder();
        if (ex != null) diff.Append($" exception {ex.Kind};");
        Compare(ref native, ref emu, nativeMem, emuMem, diff);
        if (diff.Length > 0 && ex == null)
        {
            // The host's own run can be disturbed: on AMD a context switch saves the x87 pointers only
            // while an exception is pending, so a preemption between two instructions zeroes them
            // (seen once in 400 FRSTOR/FNSTENV cases on CI). A second native run that agrees with the
            // emulator settles it; a real difference repeats.
            _initial.CopyTo(Memory);
            var again = s;
            Native.Run(ref again, code);
            var againMem = Memory.ToArray();
            emuMem.CopyTo(Memory);
            var second = new StringBuilder();
            Compare(ref again, ref emu, againMem, emuMem, second);
            if (second.Length == 0) { diff.Clear(); native = again; }
        }
        if (diff.Length == 0) CoverageLog.Passed(code);
        if (diff.Length > 0 && ex == null && IsNearMiss(ref native, ref emu, nativeMem, emuMem))
        {
            // Within the ulp tolerance the test grants (the transcendentals): verified as the test defines it.
            CoverageLog.Passed(code);
            NearMisses++;
            if (NearMisses <= 10) _nearMissLog.Append($"{what}: {Describe(ref s)}\n   {diff}\n");
        }
        else if (diff.Length > 0)
        {
            _failureCount++;
            if (_failureCount <= 40)
            {
                _failures.Append($"{what}: {Describe(ref s)}\n   ");
                _failures.Append(diff).Append('\n');
            }
        }
        return native;
    }

    private void Compare(ref CpuState n, ref CpuState e, byte[] nm, byte[] em, StringBuilder d)
    {
        if (n.Fcw != e.Fcw) d.Append($" FCW {n.Fcw:X4}/{e.Fcw:X4};");
        if (((n.Fsw ^ e.Fsw) & ~IgnoreFsw) != 0) d.Append($" FSW {n.Fsw:X4}/{e.Fsw:X4};");
        if (n.FpTop != e.FpTop) d.Append($" TOP {n.FpTop}/{e.FpTop};");
        if (n.FpEmpty != e.FpEmpty) d.Append($" EMPTY {n.FpEmpty:X2}/{e.FpEmpty:X2};");
        if (CompareFpr)
            for (int r = 0; r < 8; r++)
            {
                var a = n.Fpr[r];
                var b = e.Fpr[r];
                if (a != b) d.Append($" R{r} {a}/{b};");
            }
        if (n.Rflags != e.Rflags) d.Append($" RFLAGS {n.Rflags:X}/{e.Rflags:X};");
        for (int r = 0; r < 16; r++)
            if (n.Gpr[r] != e.Gpr[r]) d.Append($" GPR{r} {n.Gpr[r]:X}/{e.Gpr[r]:X};");
        if (n.Mxcsr != e.Mxcsr) d.Append($" MXCSR {n.Mxcsr:X}/{e.Mxcsr:X};");
        for (int r = 0; r < 32; r++)
            if (n.Vec[(r >> 1) * 4 + (r & 1)] != e.Vec[(r >> 1) * 4 + (r & 1)]) { d.Append($" XMM{r >> 1} differs;"); break; }
        for (int k = 0; k < nm.Length; k++)
        {
            if (nm[k] == em[k] || IgnoreMemory.Any(z => k >= z.Offset && k < z.Offset + z.Length)) continue;
            if (nm[k] == 0 && NativeMayReadZero.Any(z => k >= z.Offset && k < z.Offset + z.Length)) continue;
            d.Append($" mem+{k}:");
            int end = Math.Min(nm.Length, k + 16);
            for (int j = k; j < end; j++) d.Append($" {nm[j]:X2}/{em[j]:X2}");
            d.Append(';');
            break;
        }
    }

    public static string Describe(ref CpuState s)
    {
        var sb = new StringBuilder($"FCW={s.Fcw:X4} FSW={s.Fsw:X4} TOP={s.FpTop} EMPTY={s.FpEmpty:X2} FL={s.Rflags:X}");
        for (int i = 0; i < 8; i++)
        {
            int r = (s.FpTop + i) & 7;
            if (((s.FpEmpty >> r) & 1) == 0) sb.Append($" ST{i}={s.Fpr[r]}");
        }
        return sb.ToString();
    }

    /// <summary>Results within <see cref="UlpTolerance"/> of the native ones (with C1, the rounded-up
    /// indicator, free to differ) count as near misses instead of failures. 0 demands exact results.</summary>
    public int UlpTolerance { get; set; }
    public int NearMisses { get; private set; }
    /// <summary>The largest ulp distance seen among near misses.</summary>
    public long MaxUlp { get; private set; }

    /// <summary>The distance in ulps between two finite values of the same sign and exponent range;
    /// long.MaxValue when not comparable.</summary>
    public static long UlpDistance(Float80 a, Float80 b)
    {
        if (a.Sign != b.Sign || a.Exponent == 0x7FFF || b.Exponent == 0x7FFF) return long.MaxValue;
        // Sign-magnitude 80-bit values of one sign order like integers once the integer bit is dropped.
        Int128 ka = ((Int128)a.Exponent << 63) | (Int128)(a.Mantissa & ~Float80.IntegerBit);
        Int128 kb = ((Int128)b.Exponent << 63) | (Int128)(b.Mantissa & ~Float80.IntegerBit);
        if (a.Exponent != 0 && (a.Mantissa & Float80.IntegerBit) == 0) return long.MaxValue;
        if (b.Exponent != 0 && (b.Mantissa & Float80.IntegerBit) == 0) return long.MaxValue;
        var d = Int128.Abs(ka - kb);
        return d > long.MaxValue ? long.MaxValue : (long)d;
    }

    private bool IsNearMiss(ref CpuState n, ref CpuState e, byte[] nm, byte[] em)
    {
        if (UlpTolerance == 0) return false;
        long worst = 0;
        for (int r = 0; r < 8; r++)
        {
            var a = n.Fpr[r];
            var b = e.Fpr[r];
            if (a == b) continue;
            long d = UlpDistance(a, b);
            if (d > UlpTolerance) return false;
            worst = Math.Max(worst, d);
        }
        // Equal values with only C1 differing also count: C1 reports which side of the hardware's
        // internal approximation the result was rounded to.
        if (worst == 0 && ((n.Fsw ^ e.Fsw) & ~IgnoreFsw) != X87Status.C1) return false;
        var copy = e;
        for (int r = 0; r < 8; r++) copy.Fpr[r] = n.Fpr[r];
        copy.Fsw = (ushort)((copy.Fsw & ~X87Status.C1) | (n.Fsw & X87Status.C1));
        var d2 = new StringBuilder();
        Compare(ref n, ref copy, nm, em, d2);
        if (d2.Length != 0) return false;
        MaxUlp = Math.Max(MaxUlp, worst);
        return true;
    }

    /// <summary>Fails the test with the collected differences, if any.</summary>
    public void AssertAllPassed()
    {
        Assert.True(_failureCount == 0, $"{_failureCount} of {_cases} cases differ:\n{_failures}");
    }

    public int Cases => _cases;
    public int Failures => _failureCount;

    public void Dispose()
    {
        Runner.Dispose();
        Native.Dispose();
    }

    private sealed class Writer : CodeWriter
    {
        public readonly List<byte> Bytes = new();
        public override void WriteByte(byte value) => Bytes.Add(value);
    }
}
