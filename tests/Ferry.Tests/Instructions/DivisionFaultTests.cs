using Ferry.Cpu;
using Ferry.Tests.Oracle;
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.Instructions;

/// <summary>DIV and IDIV raise #DE, with the registers untouched, exactly where the quotient does not fit
/// (the differential tests skip those inputs, since they fault natively too); the 64-bit dividends take
/// another path than the wider ones.</summary>
public sealed class DivisionFaultTests : IDisposable
{
    private readonly SnippetRunner _run = new();

    public void Dispose() => _run.Dispose();

    private CpuException? Run(ulong rax, ulong rdx, ulong divisor, Action<Assembler> emit, out CpuState s)
    {
        s = new CpuState();
        s.Reset();
        s.Gpr[CpuState.Rax] = rax;
        s.Gpr[CpuState.Rdx] = rdx;
        s.Gpr[CpuState.Rbx] = divisor;
        return _run.Run(ref s, DifferentialHarness.Assemble(emit));
    }

    [Theory]
    [InlineData(0UL, 7UL, 7UL)] // RDX = divisor: the quotient needs 65 bits
    [InlineData(5UL, ulong.MaxValue, 2UL)]
    [InlineData(1UL, 0UL, 0UL)] // division by zero with a 64-bit dividend
    public void DivR64Overflow(ulong rax, ulong rdx, ulong divisor)
    {
        var e = Run(rax, rdx, divisor, a => a.div(rbx), out var s);
        Assert.Equal(CpuExceptionKind.DivideError, e?.Kind);
        Assert.Equal((rax, rdx), (s.Gpr[CpuState.Rax], s.Gpr[CpuState.Rdx]));
    }

    [Theory]
    [InlineData(0x8000_0000_0000_0000UL, ulong.MaxValue, ulong.MaxValue)] // long.MinValue / -1, sign-extended RDX
    [InlineData(0UL, 1UL, 1UL)] // 2^64 / 1: a 128-bit dividend whose quotient needs 65 bits
    [InlineData(0UL, 0x8000_0000_0000_0000UL, 1UL)]
    public void IdivR64Overflow(ulong rax, ulong rdx, ulong divisor)
    {
        var e = Run(rax, rdx, divisor, a => a.idiv(rbx), out var s);
        Assert.Equal(CpuExceptionKind.DivideError, e?.Kind);
        Assert.Equal((rax, rdx), (s.Gpr[CpuState.Rax], s.Gpr[CpuState.Rdx]));
    }

    [Fact]
    public void IdivR32OfTheLowestDividendByMinusOne()
    {
        // EDX:EAX = 0x80000000:00000000 is long.MinValue as a 64-bit number: dividing it by -1 must give #DE,
        // not an arithmetic overflow of the emulator.
        var e = Run(0, 0x8000_0000, 0xFFFF_FFFF, a => a.idiv(ebx), out _);
        Assert.Equal(CpuExceptionKind.DivideError, e?.Kind);
    }

    [Theory]
    [InlineData(0xFFFF_FFFF_FFFF_FFFFUL, 0UL, 3UL, 0x5555_5555_5555_5555UL, 0UL)]
    [InlineData(100UL, 0UL, 7UL, 14UL, 2UL)]
    [InlineData(0UL, 6UL, 7UL, 0xDB6D_B6DB_6DB6_DB6DUL, 5UL)] // (6 << 64) / 7: 128-bit dividend
    public void DivR64(ulong rax, ulong rdx, ulong divisor, ulong q, ulong r)
    {
        Assert.Null(Run(rax, rdx, divisor, a => a.div(rbx), out var s));
        Assert.Equal((q, r), (s.Gpr[CpuState.Rax], s.Gpr[CpuState.Rdx]));
    }

    [Theory]
    [InlineData(unchecked((ulong)-100L), ulong.MaxValue, 7UL, unchecked((ulong)-14L), unchecked((ulong)-2L))]
    [InlineData(0x8000_0000_0000_0000UL, ulong.MaxValue, 2UL, 0xC000_0000_0000_0000UL, 0UL)]
    [InlineData(0UL, ulong.MaxValue, 0x8000_0000_0000_0000UL, 2UL, 0UL)] // -2^64 / -2^63: a 128-bit dividend
    public void IdivR64(ulong rax, ulong rdx, ulong divisor, ulong q, ulong r)
    {
        Assert.Null(Run(rax, rdx, divisor, a => a.idiv(rbx), out var s));
        Assert.Equal((q, r), (s.Gpr[CpuState.Rax], s.Gpr[CpuState.Rdx]));
    }
}
