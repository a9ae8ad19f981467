using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Ferry.Linux.Signals;
using Ferry.Linux.Threads;
using Ferry.Memory;
using Xunit;

namespace Ferry.Tests.Avx;

/// <summary>With AVX in the guest's CPU, a signal frame carries the kernel's XSAVE-form fpstate, so the
/// YMM upper halves survive a handler that clobbers them, as on Linux.</summary>
public sealed class SignalXstateTests : IDisposable
{
    private readonly GuestMemory _mem = new();
    private readonly ulong _stack;
    private const ulong StackSize = 64 * 1024;

    public SignalXstateTests()
    {
        long a = _mem.Map(0, StackSize, 3, GuestMemory.MapPrivate | GuestMemory.MapAnonymous, -1, 0);
        Assert.True(a > 0);
        _stack = (ulong)a;
    }

    public void Dispose() => _mem.Dispose();

    private (Processor Cpu, CpuState Before) Deliver(CpuFeature features)
    {
        var cpu = new Processor(_mem) { Cpuid = new CpuidModel(features) };
        cpu.State.Reset();
        var r = new Random(5);
        for (int n = 0; n < 16; n++)
        {
            cpu.State.Xmm(n) = Vector128.Create((ulong)r.NextInt64(), (ulong)r.NextInt64()).AsByte();
            cpu.State.YmmHigh(n) = Vector128.Create((ulong)r.NextInt64(), (ulong)r.NextInt64()).AsByte();
        }
        cpu.State.Gpr[CpuState.Rsp] = _stack + StackSize - 256;
        var before = cpu.State;
        Assert.True(SignalFrame.Push(cpu, new GuestThread(cpu, 1), new SignalAction(0x401000, SignalAction.SaSiginfo, 0x402000, 0), new SignalInfo(10, 0), 0));
        return (cpu, before);
    }

    private ulong FpState(Processor cpu) => _mem.Read64(cpu.State.Gpr[CpuState.Rdx] + 40 + 184);

    private static void Clobber(ref CpuState s)
    {
        for (int n = 0; n < 16; n++) { s.Xmm(n) = Vector128<byte>.AllBitsSet; s.YmmHigh(n) = Vector128<byte>.AllBitsSet; }
    }

    private static void ReturnFromHandler(Processor cpu, GuestThread thread)
    {
        cpu.State.Gpr[CpuState.Rsp] += 8; // the handler's RET popped sa_restorer
        Assert.NotNull(SignalFrame.Return(cpu, thread));
    }

    [Fact]
    public void UpperHalvesSurviveTheHandler()
    {
        var (cpu, before) = Deliver(CpuFeature.V3);
        ulong fp = FpState(cpu);
        Assert.Equal(0UL, fp & 63);
        Assert.Equal(0x46505853u, _mem.Read32(fp + 464));
        Assert.Equal(836u, _mem.Read32(fp + 468));
        Assert.Equal(7UL, _mem.Read64(fp + 472));
        Assert.Equal(832u, _mem.Read32(fp + 480));
        Assert.Equal(7UL, _mem.Read64(fp + 512));
        Assert.Equal(0x46505845u, _mem.Read32(fp + 832));
        Assert.Equal(before.YmmHigh(3).AsUInt64()[1], _mem.Read64(fp + 576 + 3 * 16 + 8));
        Assert.Equal(1UL, _mem.Read64(cpu.State.Gpr[CpuState.Rdx]) & 1); // UC_FP_XSTATE
        Clobber(ref cpu.State);
        ReturnFromHandler(cpu, new GuestThread(cpu, 1));
        for (int n = 0; n < 16; n++)
        {
            Assert.Equal(before.Xmm(n), cpu.State.Xmm(n));
            Assert.Equal(before.YmmHigh(n), cpu.State.YmmHigh(n));
        }
    }

    /// <summary>A handler that destroys MAGIC2 leaves an FXSAVE-only image: the upper halves are reset.</summary>
    [Fact]
    public void BrokenMagicFallsBackToFxsave()
    {
        var (cpu, before) = Deliver(CpuFeature.V3);
        _mem.Write32(FpState(cpu) + 832, 0);
        Clobber(ref cpu.State);
        ReturnFromHandler(cpu, new GuestThread(cpu, 1));
        Assert.Equal(before.Xmm(7), cpu.State.Xmm(7));
        Assert.Equal(Vector128<byte>.Zero, cpu.State.YmmHigh(7));
    }

    /// <summary>A handler that clears XSTATE_BV bit 2 asks for the AVX state's initial configuration.</summary>
    [Fact]
    public void AbsentAvxStateIsInitialised()
    {
        var (cpu, _) = Deliver(CpuFeature.V3);
        _mem.Write64(FpState(cpu) + 512, 3);
        ReturnFromHandler(cpu, new GuestThread(cpu, 1));
        Assert.Equal(Vector128<byte>.Zero, cpu.State.YmmHigh(0));
    }

    /// <summary>Without AVX the frame stays the plain 512-byte FXSAVE image.</summary>
    [Fact]
    public void BaselineCpuKeepsFxsaveFrame()
    {
        var (cpu, _) = Deliver(CpuFeature.Baseline);
        ulong fp = FpState(cpu);
        Assert.Equal(0u, _mem.Read32(fp + 464));
        Assert.Equal(0UL, _mem.Read64(cpu.State.Gpr[CpuState.Rdx]) & 1);
    }
}
