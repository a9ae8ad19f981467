using Ferry.Cpu;
using Ferry.Host;
using Ferry.Memory;
using Ferry.Tests.Oracle;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.Interpreter;

/// <summary>Guest SSE arithmetic rounds as the guest's MXCSR says, whatever the host thread's MXCSR is: an
/// embedding program (or a native snippet of another test on the same pool thread) may leave it rounding up,
/// and the SSE fast paths compute with the host's own arithmetic. In-process guests of the test run got
/// results one unit in the last place off, at random, before the engine reset it.</summary>
public sealed class HostMxcsrTests
{
    [Theory]
    [InlineData(0x5F80u)] // round up
    [InlineData(0x7F80u)] // round toward zero
    [InlineData(0x3F80u)] // round down
    public void GuestRoundsToNearestWhateverTheHostThreadRounds(uint hostMxcsr)
    {
        using var memory = new GuestMemory();
        long code = memory.Map(0, 4096, 7, GuestMemory.MapPrivate | GuestMemory.MapAnonymous, -1, 0);
        Assert.True(code > 0);
        // To nearest, 1 + 2^-60 rounds down to 1 (not up, as rounding up would) and 1 + 0.75 ulp rounds up to
        // 1 + ulp (not down, as rounding down or toward zero would).
        memory.WriteBytes((ulong)code, DifferentialHarness.Assemble(a =>
        {
            a.mov(rax, BitConverter.DoubleToInt64Bits(1.0));
            a.movq(xmm0, rax);
            a.mov(rax, BitConverter.DoubleToInt64Bits(Math.ScaleB(1.0, -60)));
            a.movq(xmm1, rax);
            a.addsd(xmm0, xmm1);
            a.movq(rbx, xmm0);
            a.mov(rax, BitConverter.DoubleToInt64Bits(1.0));
            a.movq(xmm2, rax);
            a.mov(rax, BitConverter.DoubleToInt64Bits(Math.ScaleB(3.0, -54)));
            a.movq(xmm3, rax);
            a.addsd(xmm2, xmm3);
            a.movq(rcx, xmm2);
            a.ud2();
        }));
        var interp = new Ferry.Interpreter.Interpreter(memory) { Jit = null };
        var cpu = new Processor(memory);
        cpu.State.Rip = (ulong)code;
        uint was = HostFloatingPoint.Mxcsr;
        HostFloatingPoint.SetMxcsr(hostMxcsr);
        try { interp.Run(cpu); }
        finally { HostFloatingPoint.SetMxcsr(was); }
        Assert.Equal(BitConverter.DoubleToInt64Bits(1.0), (long)cpu.State.Gpr[CpuState.Rbx]);
        Assert.Equal(BitConverter.DoubleToInt64Bits(Math.BitIncrement(1.0)), (long)cpu.State.Gpr[CpuState.Rcx]);
    }
}
