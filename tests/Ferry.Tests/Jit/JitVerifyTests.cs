using Ferry.Cpu;
using Ferry.Jit;
using Ferry.Memory;
using Ferry.Tests.Oracle;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.Jit;

/// <summary>Co-simulation reports a compiled block that disagrees with the interpreter: the block's address
/// and the differing register.</summary>
public sealed class JitVerifyTests
{
    [Fact]
    public void ReportsTheBlockAndTheDifferingRegister()
    {
        using var memory = new GuestMemory();
        long code = memory.Map(0, 2 * 4096, 7, GuestMemory.MapPrivate | GuestMemory.MapAnonymous, -1, 0);
        Assert.True(code > 0);
        var bytes = DifferentialHarness.Assemble(a =>
        {
            a.add(rax, 1);
            a.ud2();
        });
        memory.WriteBytes((ulong)code, bytes);
        var interp = new Ferry.Interpreter.Interpreter(memory) { Jit = new JitEngine(new JitOptions { Threshold = 1, Verify = true }) };
        var block = interp.Code.Get((ulong)code);
        var compiled = BlockTranslator.Translate(block, verify: true);
        // A wrong translation: adds 2.
        compiled.Code = (Processor p, ref int k) => { p.State.Gpr[CpuState.Rax] += 2; p.State.Rip = block.End; };
        block.Compiled = compiled;
        var cpu = new Processor(memory);
        cpu.State.Gpr[CpuState.Rax] = 40;
        cpu.State.Rip = (ulong)code;
        var e = Assert.Throws<JitVerificationException>(() => interp.Run(cpu));
        Assert.Equal((ulong)code, e.BlockAddress);
        Assert.Contains($"block at 0x{code:x}", e.Message);
        Assert.Contains("RAX: jit 0x2a, interpreter 0x29", e.Message);
    }

    [Fact]
    public void AgreeingBlocksAreCountedAsVerified()
    {
        using var memory = new GuestMemory();
        long code = memory.Map(0, 2 * 4096, 7, GuestMemory.MapPrivate | GuestMemory.MapAnonymous, -1, 0);
        var bytes = DifferentialHarness.Assemble(a =>
        {
            var top = a.CreateLabel();
            a.mov(ecx, 10);
            a.Label(ref top);
            a.add(rax, rcx);
            a.push(rax);
            a.pop(rbx);
            a.dec(ecx);
            a.jnz(top);
            a.ud2();
        });
        memory.WriteBytes((ulong)code, bytes);
        var interp = new Ferry.Interpreter.Interpreter(memory);
        var jit = new JitEngine(new JitOptions { Threshold = 1, Verify = true }, interp.Code);
        interp.Jit = jit;
        var cpu = new Processor(memory);
        cpu.State.Gpr[CpuState.Rsp] = (ulong)code + 2 * 4096;
        cpu.State.Rip = (ulong)code;
        Assert.Equal(StopKind.Exception, interp.Run(cpu));
        Assert.Equal(CpuExceptionKind.InvalidOpcode, cpu.Exception!.Kind);
        Assert.Equal(55UL, cpu.State.Gpr[CpuState.Rax]);
        // The first block (mov ecx and the first iteration), the loop block 9 times (each one run under
        // verification, which never loops inside compiled code), the ud2 block.
        Assert.Equal(11, jit.VerifiedRuns);
    }
}
