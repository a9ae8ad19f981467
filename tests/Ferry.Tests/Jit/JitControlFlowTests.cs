using Ferry.Cpu;
using Ferry.Jit;
using Ferry.Tests.Oracle;
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.Jit;

/// <summary>Multi-block snippets with branches, calls, returns and loops (a block that branches to itself
/// loops inside its compiled code), compiled with a threshold of 1 and run against the host CPU.</summary>
public sealed class JitControlFlowTests : IClassFixture<JitFormTests.Fixture>
{
    private readonly DifferentialHarness _h;
    public JitControlFlowTests(JitFormTests.Fixture f) => _h = f.H;

    private static readonly (string Name, Action<Assembler, Label> Jump)[] Conditions =
    [
        ("jo", (a, l) => a.jo(l)), ("jno", (a, l) => a.jno(l)), ("jb", (a, l) => a.jb(l)), ("jae", (a, l) => a.jae(l)),
        ("je", (a, l) => a.je(l)), ("jne", (a, l) => a.jne(l)), ("jbe", (a, l) => a.jbe(l)), ("ja", (a, l) => a.ja(l)),
        ("js", (a, l) => a.js(l)), ("jns", (a, l) => a.jns(l)), ("jp", (a, l) => a.jp(l)), ("jnp", (a, l) => a.jnp(l)),
        ("jl", (a, l) => a.jl(l)), ("jge", (a, l) => a.jge(l)), ("jle", (a, l) => a.jle(l)), ("jg", (a, l) => a.jg(l)),
    ];

    public static TheoryData<string> ConditionNames() => new(Conditions.Select(c => c.Name));

    [Theory, MemberData(nameof(ConditionNames))]
    public void ConditionalBranchAfterCompare(string cc)
    {
        var jump = Conditions.Single(c => c.Name == cc).Jump;
        Check(a =>
        {
            var skip = a.CreateLabel();
            a.cmp(rax, rbx);
            jump(a, skip);
            a.add(rcx, 1);
            a.Label(ref skip);
            a.add(rdx, 1);
        }, $"cmp+{cc}");
        Check(a =>
        {
            var skip = a.CreateLabel();
            a.sub(esi, edi);
            jump(a, skip);
            a.xor(r8, r9);
            a.Label(ref skip);
            a.setg(r10b);
        }, $"sub+{cc}");
    }

    [Fact]
    public void CountedLoopInOneBlock() => Check(a =>
    {
        var top = a.CreateLabel();
        a.mov(ecx, 50);
        a.Label(ref top);
        a.add(rax, rcx);
        a.imul(rbx, rcx);
        a.xor(rdx, rax);
        a.shl(rdx, 3);
        a.rol(rsi, 7);
        a.dec(ecx);
        a.jnz(top);
    }, "loop");

    [Fact]
    public void LoopOverMemory() => Check(a =>
    {
        var top = a.CreateLabel();
        a.mov(ecx, 60);
        a.Label(ref top);
        a.add(__qword_ptr[r15 + rcx * 8], rax);
        a.movzx(edx, __byte_ptr[r15 + rcx]);
        a.add(rbx, rdx);
        a.sub(ecx, 1);
        a.jae(top);
    }, "memory loop");

    [Fact]
    public void PageCrossingAccessesInALoop() => Check(a =>
    {
        // R15 + 0x1000 is a page boundary: these accesses of every size take the full checked path, which the
        // compiled code shares between them and returns from to each access's own place.
        var top = a.CreateLabel();
        var skip = a.CreateLabel();
        a.mov(ecx, 12);
        a.jmp(top); // no block holds the loop's head twice
        a.Label(ref top);
        a.mov(rax, __qword_ptr[r15 + 0xFFC]);
        a.add(rbx, rax);
        a.mov(edx, __dword_ptr[r15 + 0xFFE]);
        a.xor(rsi, rdx);
        a.add(__word_ptr[r15 + 0xFFF], si);
        a.test(cl, 1);
        a.jz(skip);
        a.mov(__qword_ptr[r15 + 0xFFB], rbx);
        a.sub(rdi, __qword_ptr[r15 + 0xFF9]);
        a.Label(ref skip);
        a.mov(__dword_ptr[r15 + 0xFFD], edi);
        a.imul(r8, __qword_ptr[r15 + 0xFFA]);
        a.and(r9, __qword_ptr[r15 + 0xFFE]);
        a.dec(ecx);
        a.jnz(top);
    }, "page-crossing loop");

    [Fact]
    public void CallAndReturn() => Check(a =>
    {
        var f = a.CreateLabel();
        var end = a.CreateLabel();
        a.call(f);
        a.mov(__qword_ptr[rsp - 8], 0); // the return address differs between the native and the emulated run
        a.jmp(end);
        a.Label(ref f);
        a.add(rax, rbx);
        a.push(rax);
        a.pop(rcx);
        a.ret();
        a.Label(ref end);
        a.nop();
    }, "call");

    [Fact]
    public void ReturnReleasingArguments() => Check(a =>
    {
        var f = a.CreateLabel();
        var end = a.CreateLabel();
        a.push(rax);
        a.push(rbx);
        a.call(f);
        a.mov(__qword_ptr[rsp - 24], 0);
        a.jmp(end);
        a.Label(ref f);
        a.lea(rdx, __[rax + rbx * 4 + 9]);
        a.ret(16);
        a.Label(ref end);
        a.nop();
    }, "ret imm16");

    [Fact]
    public void IndirectJumpAndCall() => Check(a =>
    {
        var t = a.CreateLabel();
        var f = a.CreateLabel();
        var end = a.CreateLabel();
        a.lea(rax, __[t]);
        a.jmp(rax);
        a.int3();
        a.Label(ref t);
        a.lea(rax, __[f]);
        a.call(rax);
        a.mov(__qword_ptr[rsp - 8], 0);
        a.xor(eax, eax); // RAX held a code address, which differs between the runs
        a.jmp(end);
        a.Label(ref f);
        a.inc(rbx);
        a.ret();
        a.Label(ref end);
        a.nop();
    }, "indirect");

    [Fact]
    public void FlagsCarriedAcrossBlocks() => Check(a =>
    {
        var next = a.CreateLabel();
        a.add(rax, rbx);
        a.jmp(next);
        a.Label(ref next);
        a.adc(rcx, rdx);
        a.cmovb(rsi, rdi);
        a.sbb(r8d, r9d);
    }, "flags across blocks");

    private void Check(Action<Assembler> emit, string what)
    {
        var code = DifferentialHarness.Assemble(a =>
        {
            emit(a);
            a.nop();
        });
        var r = new Random(IntegerFormsSeed(what));
        for (int n = 0; n < 30; n++)
        {
            var s = _h.RandomState(r);
            var diff = _h.Compare(code, s);
            Assert.True(diff == null, $"{what}, case {n}: {diff}");
        }
    }

    private static int IntegerFormsSeed(string s) => Instructions.IntegerFormTests.StableSeed(s);
}
