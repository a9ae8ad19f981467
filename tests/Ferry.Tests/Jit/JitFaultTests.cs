using Ferry.Cpu;
using Ferry.Jit;
using Ferry.Tests.Oracle;
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.Jit;

/// <summary>A fault in compiled code leaves the state the interpreter leaves: RIP at the faulting
/// instruction, every register and flag as of that instruction, the same fault address.</summary>
public sealed class JitFaultTests : IDisposable
{
    private readonly NativeCpu _scratch = new();
    private readonly SnippetRunner _interp = new();
    private readonly SnippetRunner _jit = new(new JitOptions { Threshold = 1, RegionThreshold = 1 });

    public JitFaultTests()
    {
        _interp.Share(_scratch.Scratch, NativeCpu.ScratchSize);
        _jit.Share(_scratch.Scratch, NativeCpu.ScratchSize);
    }

    public void Dispose()
    {
        _jit.Dispose();
        _interp.Dispose();
        _scratch.Dispose();
    }

    private CpuState Start()
    {
        var s = new CpuState();
        s.Reset();
        for (int n = 0; n < 16; n++) s.Gpr[n] = 0x1111UL * (ulong)(n + 1);
        s.Gpr[CpuState.Rsp] = _scratch.Scratch + 0x3000;
        s.Gpr[CpuState.Rdi] = _scratch.Scratch + 0x1000;
        s.Gpr[CpuState.Rcx] = 0x10_0000;
        s.Gpr[15] = _scratch.Scratch;
        s.Rflags |= Flags.CF;
        return s;
    }

    private void Check(Action<Assembler> emit, CpuExceptionKind kind, ulong? faultAddress = null)
    {
        var code = DifferentialHarness.Assemble(emit);
        var si = Start();
        var sj = Start();
        var ei = _interp.Run(ref si, code);
        var ej = _jit.Run(ref sj, code);
        Assert.NotNull(ei);
        Assert.NotNull(ej);
        Assert.Equal(kind, ei!.Kind);
        Assert.Equal(ei.Kind, ej!.Kind);
        Assert.Equal(ei.Address, ej.Address);
        if (faultAddress is { } fa) Assert.Equal(fa, ej.Address);
        Assert.Equal(ei.Code, ej.Code);
        // The runners place the code at different addresses, so RIP is compared relative to the code's end.
        Assert.Equal(_interp.CodeEnd - si.Rip, _jit.CodeEnd - sj.Rip);
        for (int n = 0; n < 16; n++) Assert.True(si.Gpr[n] == sj.Gpr[n], $"GPR{n}: interpreter 0x{si.Gpr[n]:x} jit 0x{sj.Gpr[n]:x}");
        Assert.Equal(si.Rflags, sj.Rflags);
        Assert.True(_jit.Engine.Jit!.CompiledBlocks > 0);
    }

    [Fact]
    public void LoadFaultAfterInlineArithmetic() => Check(a =>
    {
        a.add(rax, 5);
        a.sub(rbx, rax); // flags of SUB are live at the fault: the handler must see them
        a.mov(rdx, __qword_ptr[rsi]); // RSI = 0x7777: unmapped
        a.add(rdx, 1);
    }, CpuExceptionKind.PageFault, 0x7777);

    [Fact]
    public void StoreFaultInsideACompiledLoop() => Check(a =>
    {
        var top = a.CreateLabel();
        a.Label(ref top);
        a.mov(__qword_ptr[rdi], rax);
        a.add(rdi, 8);
        a.inc(rax);
        a.dec(ecx);
        a.jnz(top);
    }, CpuExceptionKind.PageFault); // the address is checked against the interpreter's

    [Fact]
    public void StoreFaultInALaterBlockOfACompiledRegion() => Check(a =>
    {
        // Three blocks compiled as one region; the store that faults is in the third.
        var top = a.CreateLabel();
        var skip = a.CreateLabel();
        a.Label(ref top);
        a.test(al, 1);
        a.jz(skip);
        a.add(rbx, rax);
        a.Label(ref skip);
        a.mov(__qword_ptr[rdi], rbx);
        a.add(rdi, 8);
        a.inc(rax);
        a.dec(ecx);
        a.jnz(top);
    }, CpuExceptionKind.PageFault);

    [Fact]
    public void InlineVectorLoadFault() => Check(a =>
    {
        a.add(rax, 7);
        a.pxor(xmm1, xmm1);
        a.cmp(rbx, rax); // flags live at the fault
        a.movdqu(xmm0, __xmmword_ptr[rsi + 0x10]); // RSI = 0x7777: unmapped
        a.add(rdx, 1);
    }, CpuExceptionKind.PageFault, 0x7787);

    [Fact]
    public void PushFaultLeavesRspIntact() => Check(a =>
    {
        a.mov(rsp, 0x5008);
        a.add(rbx, rcx);
        a.push(rbx);
    }, CpuExceptionKind.PageFault, 0x5000);

    [Fact]
    public void FaultInAHandlerFallBack() => Check(a =>
    {
        a.add(rax, 3);
        a.xor(edx, edx);
        a.mov(ecx, 0);
        a.div(rcx); // #DE from the interpreter handler, after inline code changed RAX, RDX, RCX
    }, CpuExceptionKind.DivideError);

    [Fact]
    public void RepStoreFaultKeepsTheHandlersProgress() => Check(a =>
    {
        a.add(rax, 1);
        a.mov(ecx, 0x4000);
        a.rep.stosb(); // from scratch+0x1000: runs off the shared area part way, with RCX and RDI advanced
    }, CpuExceptionKind.PageFault);
}
