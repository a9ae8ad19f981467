using Ferry.Cpu;
using Ferry.Tests.Oracle;
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.Instructions;

/// <summary>The integer instruction set against the host CPU: each form runs natively and under the
/// interpreter from the same random states; registers, status flags (undefined ones masked) and memory
/// must agree.</summary>
public sealed class IntegerDifferentialTests : IClassFixture<IntegerDifferentialTests.Fixture>
{
    public sealed class Fixture : IDisposable
    {
        public DifferentialHarness H { get; } = new();
        public void Dispose() => H.Dispose();
    }

    private readonly DifferentialHarness _h;
    public IntegerDifferentialTests(Fixture f) => _h = f.H;

    private sealed record Case(Action<Assembler> Emit, Func<CpuState, ulong>? Undefined = null, Func<CpuState, bool>? Valid = null, Func<CpuState, CpuState>? Setup = null);

    private const ulong AllStatus = Flags.Status;
    private const ulong Af = Flags.AF, Of = Flags.OF;

    private static readonly Dictionary<string, Case> Cases = BuildCases();

    public static IEnumerable<object[]> Names() => Cases.Keys.Order().Select(k => new object[] { k });

    private static Dictionary<string, Case> BuildCases()
    {
        var c = new Dictionary<string, Case>();
        var m64 = __qword_ptr[r15 + 0x18];
        var m32 = __dword_ptr[r15 + 0x21];
        var m16 = __word_ptr[r15 + 0x33];
        var m8 = __byte_ptr[r15 - 0x7];

        // Binary ALU operations in every operand shape and width.
        foreach (var (name, logic) in new[] { ("add", false), ("adc", false), ("sub", false), ("sbb", false), ("cmp", false), ("and", true), ("or", true), ("xor", true), ("test", true) })
        {
            ulong undef = logic ? Af : 0;
            Func<CpuState, ulong> u = _ => undef;
            c[$"{name} r64,r64"] = new(a => Call(a, name, rax, rbx), u);
            c[$"{name} r32,r32"] = new(a => Call(a, name, ecx, edx), u);
            c[$"{name} r16,r16"] = new(a => Call(a, name, si, di), u);
            c[$"{name} r8,r8"] = new(a => Call(a, name, al, bl), u);
            c[$"{name} r8h,r8"] = new(a => Call(a, name, ah, cl), u);
            c[$"{name} r8,r8h"] = new(a => Call(a, name, dl, bh), u);
            c[$"{name} r64,imm8"] = new(a => Call(a, name, r9, -5), u);
            c[$"{name} r64,imm32"] = new(a => Call(a, name, r10, 0x12345678), u);
            c[$"{name} r32,imm"] = new(a => Call(a, name, r11d, -0x80000000), u);
            c[$"{name} r16,imm"] = new(a => Call(a, name, r12w, 0x1234), u);
            c[$"{name} r8,imm"] = new(a => Call(a, name, r13b, 0x81), u);
            c[$"{name} m64,r64"] = new(a => Call(a, name, m64, rax), u);
            c[$"{name} m32,r32"] = new(a => Call(a, name, m32, ebx), u);
            c[$"{name} m16,r16"] = new(a => Call(a, name, m16, cx), u);
            c[$"{name} m8,r8"] = new(a => Call(a, name, m8, dl), u);
            c[$"{name} m64,imm"] = new(a => Call(a, name, m64, 0x7F), u);
            if (name != "test")
            {
                c[$"{name} r64,m64"] = new(a => Call(a, name, rsi, m64), u);
                c[$"{name} r32,m32"] = new(a => Call(a, name, edi, m32), u);
                c[$"lock {name} m32,r32"] = new(a => Call(a.@lock!, name, m32, ebp), u);
            }
        }
        c.Remove("lock cmp m32,r32");

        foreach (var name in new[] { "inc", "dec", "neg", "not" })
        {
            c[$"{name} r64"] = new(a => Call(a, name, rax));
            c[$"{name} r32"] = new(a => Call(a, name, ebx));
            c[$"{name} r16"] = new(a => Call(a, name, cx));
            c[$"{name} r8"] = new(a => Call(a, name, dl));
            c[$"{name} r8h"] = new(a => Call(a, name, ah));
            c[$"{name} m32"] = new(a => Call(a, name, m32));
            c[$"lock {name} m64"] = new(a => Call(a.@lock!, name, m64));
        }

        // Multiplication and division (inputs that would fault natively are skipped).
        Func<CpuState, ulong> mulUndef = _ => Flags.SF | Flags.ZF | Flags.AF | Flags.PF;
        c["mul r64"] = new(a => a.mul(rbx), mulUndef);
        c["mul r32"] = new(a => a.mul(ecx), mulUndef);
        c["mul r16"] = new(a => a.mul(si), mulUndef);
        c["mul r8"] = new(a => a.mul(bl), mulUndef);
        c["mul m64"] = new(a => a.mul(m64), mulUndef);
        c["imul r64"] = new(a => a.imul(rbx), mulUndef);
        c["imul r32"] = new(a => a.imul(ecx), mulUndef);
        c["imul r16"] = new(a => a.imul(si), mulUndef);
        c["imul r8"] = new(a => a.imul(bl), mulUndef);
        c["imul r64,r64"] = new(a => a.imul(rax, rbx), mulUndef);
        c["imul r32,m32"] = new(a => a.imul(eax, m32), mulUndef);
        c["imul r16,r16"] = new(a => a.imul(ax, dx), mulUndef);
        c["imul r64,r64,imm"] = new(a => a.imul(rcx, rdx, -7), mulUndef);
        c["imul r32,r32,imm32"] = new(a => a.imul(ecx, edx, 0x10001), mulUndef);
        c["imul r16,m16,imm"] = new(a => a.imul(cx, m16, 300), mulUndef);

        Func<CpuState, ulong> all = _ => AllStatus;
        c["div r64"] = new(a => a.div(rbx), all, s => s.Gpr[3] != 0 && (UInt128)s.Gpr[2] < s.Gpr[3]);
        c["div r32"] = new(a => a.div(ebx), all, s => (uint)s.Gpr[3] != 0 && (uint)s.Gpr[2] < (uint)s.Gpr[3]);
        c["div r16"] = new(a => a.div(bx), all, s => (ushort)s.Gpr[3] != 0 && (ushort)s.Gpr[2] < (ushort)s.Gpr[3]);
        c["div r8"] = new(a => a.div(bl), all, s => (byte)s.Gpr[3] != 0 && (byte)(s.Gpr[0] >> 8) < (byte)s.Gpr[3]);
        c["idiv r64"] = new(a => a.idiv(rbx), all, s => IdivOk(s, 8));
        c["idiv r32"] = new(a => a.idiv(ebx), all, s => IdivOk(s, 4));
        c["idiv r16"] = new(a => a.idiv(bx), all, s => IdivOk(s, 2));
        c["idiv r8"] = new(a => a.idiv(bl), all, s => IdivOk(s, 1));
        // A 64-bit dividend (RDX zero or RAX's sign) takes the interpreter's 64-bit path, the others 128-bit arithmetic.
        c["xor edx; div r64"] = new(a => { a.xor(edx, edx); a.div(rbx); }, all, s => s.Gpr[3] != 0);
        c["cqo; idiv r64"] = new(a => { a.cqo(); a.idiv(rbx); }, all, s => s.Gpr[3] != 0 && !(s.Gpr[0] == 0x8000_0000_0000_0000 && s.Gpr[3] == ulong.MaxValue));

        // Shifts and rotates by 1, by an immediate and by CL; OF is undefined past a 1-bit count, AF always.
        foreach (var name in new[] { "shl", "shr", "sar", "rol", "ror", "rcl", "rcr" })
        {
            Func<CpuState, ulong> byCl = s => (s.Gpr[1] & 0x1F) > 1 ? Af | Of : Af;
            Func<CpuState, ulong> byCl64 = s => (s.Gpr[1] & 0x3F) > 1 ? Af | Of : Af;
            c[$"{name} r64,1"] = new(a => Call(a, name, rax, 1), _ => Af);
            c[$"{name} r32,1"] = new(a => Call(a, name, ebx, 1), _ => Af);
            c[$"{name} r8,1"] = new(a => Call(a, name, dl, 1), _ => Af);
            c[$"{name} r64,imm"] = new(a => Call(a, name, rax, 13), _ => Af | Of);
            c[$"{name} r32,imm"] = new(a => Call(a, name, esi, 31), _ => Af | Of);
            c[$"{name} r16,imm"] = new(a => Call(a, name, di, 7), _ => Af | Of);
            c[$"{name} r8,imm"] = new(a => Call(a, name, bl, 5), _ => Af | Of);
            c[$"{name} r64,cl"] = new(a => Call(a, name, rdx, cl), byCl64);
            c[$"{name} r32,cl"] = new(a => Call(a, name, edx, cl), byCl);
            c[$"{name} m16,cl"] = new(a => Call(a, name, m16, cl), s => (s.Gpr[1] & 0x1F) > 1 ? Af | Of | ((s.Gpr[1] & 0x1F) >= 16 && (name is "shl" or "shr") ? Flags.CF : 0) : Af);
            c[$"{name} r8,cl"] = new(a => Call(a, name, al, cl), s => (s.Gpr[1] & 0x1F) > 1 ? Af | Of | ((s.Gpr[1] & 0x1F) >= 8 && (name is "shl" or "shr") ? Flags.CF : 0) : Af);
        }
        c["shld r64,r64,imm"] = new(a => a.shld(rax, rbx, 9), _ => Af | Of);
        c["shld r32,r32,cl"] = new(a => a.shld(eax, ebx, cl), s => Af | Of);
        c["shld m16,r16,imm"] = new(a => a.shld(m16, cx, 5), _ => Af | Of);
        c["shrd r64,r64,cl"] = new(a => a.shrd(rax, rbx, cl), s => Af | Of);
        c["shrd r32,r32,imm"] = new(a => a.shrd(esi, edi, 3), _ => Af | Of);
        c["shrd r16,r16,1"] = new(a => a.shrd(si, di, 1), _ => Af);

        // Bit operations.
        Func<CpuState, ulong> btUndef = _ => Of | Flags.SF | Af | Flags.PF;
        foreach (var name in new[] { "bt", "bts", "btr", "btc" })
        {
            c[$"{name} r64,r64"] = new(a => Call(a, name, rax, rbx), btUndef);
            c[$"{name} r32,imm"] = new(a => Call(a, name, ecx, 19), btUndef);
            c[$"{name} r16,r16"] = new(a => Call(a, name, dx, si), btUndef);
            c[$"{name} m32,imm"] = new(a => Call(a, name, m32, 29), btUndef);
            c[$"{name} r32,r32"] = new(a => Call(a, name, esi, edi), btUndef);
            c[$"{name} r16,imm"] = new(a => Call(a, name, bx, 13), btUndef);
            c[$"{name} m16,imm"] = new(a => Call(a, name, m16, 35), btUndef);
            c[$"{name} r64,imm"] = new(a => Call(a, name, r9, 61), btUndef);
            c[$"{name} m64,imm"] = new(a => Call(a, name, m64, 44), btUndef);
            c[$"{name} m32,r32"] = new(a => Call(a, name, __dword_ptr[r15 + 0x800], edx), btUndef, Setup: null, Valid: s => (int)s.Gpr[2] > -0x4000 && (int)s.Gpr[2] < 0x4000);
            // Register bit offsets reach memory outside the operand; keep them within the scratch area.
            c[$"{name} m64,r64"] = new(a => Call(a, name, __qword_ptr[r15], rcx), btUndef, Setup: null, Valid: s => (long)s.Gpr[1] > -0x6000 && (long)s.Gpr[1] < 0x6000);
        }
        Func<CpuState, ulong> bsUndef = _ => Flags.CF | Of | Flags.SF | Af | Flags.PF;
        c["bsf r64,r64"] = new(a => a.bsf(rax, rbx), bsUndef);
        c["bsf r32,m32"] = new(a => a.bsf(ecx, m32), bsUndef);
        c["bsr r64,r64"] = new(a => a.bsr(rax, rbx), bsUndef);
        c["bsr r16,r16"] = new(a => a.bsr(ax, bx), bsUndef);
        c["popcnt r64,r64"] = new(a => a.popcnt(rax, rbx));
        c["popcnt r32,m32"] = new(a => a.popcnt(eax, m32));

        // BMI1, BMI2, ADX, LZCNT/TZCNT (the host has them all).
        c["tzcnt r64,r64"] = new(a => a.tzcnt(rax, rbx), _ => Of | Flags.SF | Af | Flags.PF);
        c["tzcnt r16,m16"] = new(a => a.tzcnt(ax, m16), _ => Of | Flags.SF | Af | Flags.PF);
        c["lzcnt r32,r32"] = new(a => a.lzcnt(eax, ebx), _ => Of | Flags.SF | Af | Flags.PF);
        c["lzcnt r64,m64"] = new(a => a.lzcnt(rax, m64), _ => Of | Flags.SF | Af | Flags.PF);
        Func<CpuState, ulong> apUndef = _ => Af | Flags.PF;
        c["andn r64"] = new(a => a.andn(rax, rbx, rcx), apUndef);
        c["andn r32,m32"] = new(a => a.andn(eax, ebx, m32), apUndef);
        c["bextr r64"] = new(a => a.bextr(rax, rbx, rcx), _ => Af | Flags.PF | Flags.SF);
        c["bextr r32"] = new(a => a.bextr(eax, m32, ecx), _ => Af | Flags.PF | Flags.SF);
        c["blsi r64"] = new(a => a.blsi(rax, rbx), apUndef);
        c["blsmsk r32"] = new(a => a.blsmsk(eax, ebx), apUndef);
        c["blsr r64,m64"] = new(a => a.blsr(rax, m64), apUndef);
        c["bzhi r64"] = new(a => a.bzhi(rax, rbx, rcx), apUndef);
        c["bzhi r32"] = new(a => a.bzhi(eax, ebx, ecx), apUndef);
        c["mulx r64"] = new(a => a.mulx(rax, rbx, rcx));
        c["mulx r32,m32"] = new(a => a.mulx(eax, ebx, m32));
        c["mulx same dest"] = new(a => a.mulx(rax, rax, rcx));
        c["pdep r64"] = new(a => a.pdep(rax, rbx, rcx));
        c["pext r32"] = new(a => a.pext(eax, ebx, ecx));
        c["pext r64,m64"] = new(a => a.pext(rax, rbx, m64));
        c["rorx r64"] = new(a => a.rorx(rax, rbx, 13));
        c["rorx r32"] = new(a => a.rorx(eax, m32, 31));
        c["sarx r64"] = new(a => a.sarx(rax, rbx, rcx));
        c["shlx r32"] = new(a => a.shlx(eax, ebx, ecx));
        c["shrx r64,m64"] = new(a => a.shrx(rax, m64, rcx));
        c["adcx r64"] = new(a => a.adcx(rax, rbx));
        c["adcx r32,m32"] = new(a => a.adcx(eax, m32));
        c["adox r64"] = new(a => a.adox(rax, rbx));
        c["adox r32"] = new(a => a.adox(ecx, edx));
        c["movbe r64,m64"] = new(a => a.movbe(rax, m64));
        c["movbe m32,r32"] = new(a => a.movbe(m32, ebx));
        c["movbe r16,m16"] = new(a => a.movbe(cx, m16));

        // Data movement.
        c["mov r64,r64"] = new(a => a.mov(rax, rbx));
        c["mov r32,r32"] = new(a => a.mov(eax, ebx));
        c["mov r8h,r8"] = new(a => a.mov(ah, bl));
        c["mov r16,m16"] = new(a => a.mov(cx, m16));
        c["mov m64,imm"] = new(a => a.mov(m64, -2));
        c["mov r64,imm64"] = new(a => a.mov(r8, 0x1122334455667788));
        c["movzx r32,r8"] = new(a => a.movzx(eax, bh));
        c["movzx r64,m16"] = new(a => a.movzx(rax, m16));
        c["movsx r64,r8"] = new(a => a.movsx(rax, bl));
        c["movsx r32,m16"] = new(a => a.movsx(eax, m16));
        c["movsxd r64,r32"] = new(a => a.movsxd(rax, ebx));
        c["movsxd r64,m32"] = new(a => a.movsxd(rdx, m32));
        c["lea r64"] = new(a => a.lea(rax, __[rbx + rcx * 4 + 0x1234]));
        c["lea r32"] = new(a => a.lea(eax, __[rbx + rcx * 8 - 9]));
        c["lea r16"] = new(a => a.lea(ax, __[rdx + rsi]));
        c["xchg r64,r64"] = new(a => a.xchg(rax, rbx));
        c["xchg r32,r32"] = new(a => a.xchg(ecx, edx));
        c["xchg m16,r16"] = new(a => a.xchg(m16, si));
        c["xchg r8,r8h"] = new(a => a.xchg(bl, ah));
        c["bswap r64"] = new(a => a.bswap(rax));
        c["bswap r32"] = new(a => a.bswap(ecx));
        c["cbw"] = new(a => a.cbw());
        c["cwde"] = new(a => a.cwde());
        c["cdqe"] = new(a => a.cdqe());
        c["cwd"] = new(a => a.cwd());
        c["cdq"] = new(a => a.cdq());
        c["cqo"] = new(a => a.cqo());
        c["xadd r64,r64"] = new(a => a.xadd(rax, rbx));
        c["xadd r32,r32 same"] = new(a => a.xadd(ecx, ecx));
        c["lock xadd m32,r32"] = new(a => a.@lock.xadd(m32, edx));
        c["cmpxchg r64,r64"] = new(a => a.cmpxchg(rbx, rcx));
        c["cmpxchg r32,r32"] = new(a => a.cmpxchg(ebx, ecx));
        c["cmpxchg r64,r64 equal"] = new(a => { a.mov(rax, rbx); a.cmpxchg(rbx, rcx); });
        c["lock cmpxchg m64,r64"] = new(a => a.@lock.cmpxchg(m64, rcx));
        c["lock cmpxchg m64,r64 equal"] = new(a => { a.mov(rax, m64); a.@lock.cmpxchg(m64, rcx); });
        c["lock cmpxchg8b"] = new(a => a.@lock.cmpxchg8b(m64));
        c["lock cmpxchg8b equal"] = new(a => { a.mov(eax, __dword_ptr[r15 + 0x18]); a.mov(edx, __dword_ptr[r15 + 0x1C]); a.@lock.cmpxchg8b(m64); });
        c["lock cmpxchg16b equal"] = new(a => { a.mov(rax, __qword_ptr[r15 + 0x20]); a.mov(rdx, __qword_ptr[r15 + 0x28]); a.@lock.cmpxchg16b(__xmmword_ptr[r15 + 0x20]); });
        c["lock cmpxchg16b"] = new(a => a.@lock.cmpxchg16b(__xmmword_ptr[r15 + 0x40]));
        foreach (var cc in new[] { "o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g" })
        {
            c[$"cmov{cc} r64,r64"] = new(a => Call(a, "cmov" + cc, rax, rbx));
            c[$"cmov{cc} r32,m32"] = new(a => Call(a, "cmov" + cc, ecx, m32));
            c[$"set{cc} r8"] = new(a => Call(a, "set" + cc, al));
        }

        // Stack.
        c["push r64; pop r32-ish"] = new(a => { a.push(rbx); a.pop(rcx); });
        c["push imm; pop m64"] = new(a => { a.push(-3); a.pop(m64); });
        c["push m64; pop r64"] = new(a => { a.push(m64); a.pop(rdx); });
        c["push r16; pop r16"] = new(a => { a.push(bx); a.pop(cx); });
        c["pushfq; pop"] = new(a => { a.pushfq(); a.pop(rax); });
        // Only flags a user program may sensibly set: TF would trap and AC would fault the host.
        c["push; popfq"] = new(a => { a.push(rbx); a.popfq(); }, Setup: s => { s.Gpr[3] &= Flags.Status | Flags.DF; return s; });
        c["enter; leave"] = new(a => { a.enter(0x20, 0); a.leave(); });
        // Nested frames copy frame pointers from below RBP, so RBP points into the scratch area.
        Func<CpuState, CpuState> rbpInScratch = s => { s.Gpr[CpuState.Rbp] = s.Gpr[15] + 0x200; return s; };
        foreach (byte level in new byte[] { 0, 1, 2, 5, 31 })
        {
            c[$"enter imm,{level}"] = new(a => a.enter(0x18, level), Setup: rbpInScratch);
            // 66 C8: ENTER with a 16-bit operand size pushes words.
            c[$"enterw imm,{level}"] = new(a => a.db(0x66, 0xC8, 0x18, 0x00, level), Setup: rbpInScratch);
        }
        // Levels 0 and 1 read nothing through RBP, so its upper bits can differ from RSP's: a 16-bit ENTER writes
        // only BP (the cases above passed only while RBP and RSP happened to share their upper 48 bits).
        Func<CpuState, CpuState> rbpFar = s => { s.Gpr[CpuState.Rbp] = s.Gpr[CpuState.Rsp] ^ 0x1234_5678_0000UL; return s; };
        c["enterw imm,0 rbp far"] = new(a => a.db(0x66, 0xC8, 0x18, 0x00, 0), Setup: rbpFar);
        c["enterw imm,1 rbp far"] = new(a => a.db(0x66, 0xC8, 0x18, 0x00, 1), Setup: rbpFar);
        c["leavew"] = new(a => a.db(0x66, 0xC9), Setup: rbpInScratch);
        // LEAVE moves all of RBP to RSP, but the 16-bit ENTER before it set only BP: with RBP in the scratch area
        // and RSP in another 64 KiB window, LEAVE popped from an address neither side had mapped on purpose (the
        // host happened to have one there). RBP just below RSP keeps the frame on the stack pages.
        Func<CpuState, CpuState> rbpBelowRsp = s => { s.Gpr[CpuState.Rbp] = s.Gpr[CpuState.Rsp] - 0x40; return s; };
        c["enterw; leavew"] = new(a => a.db(0x66, 0xC8, 0x08, 0x00, 0x02, 0x66, 0xC9), Setup: rbpBelowRsp);
        c["lahf"] = new(a => a.lahf());
        c["sahf"] = new(a => a.sahf());
        c["clc stc cmc"] = new(a => { a.clc(); a.cmc(); a.stc(); a.cmc(); });

        // LOOPcc and JECXZ with a 67 prefix count in ECX; when taken they skip the INC.
        c["loop rel8"] = new(a => { a.db(0xE2, 0x02); a.inc(eax); });
        c["loopd rel8 (67)"] = new(a => { a.db(0x67, 0xE2, 0x02); a.inc(eax); });
        c["looped rel8 (67)"] = new(a => { a.db(0x67, 0xE1, 0x02); a.inc(eax); });
        c["loopned rel8 (67)"] = new(a => { a.db(0x67, 0xE0, 0x02); a.inc(eax); });
        c["jecxz rel8"] = new(a => { a.db(0x67, 0xE3, 0x02); a.inc(eax); });

        // String operations over the scratch area.
        c["rep movsb"] = new(a => { a.mov(ecx, 0x333); a.lea(rsi, __[r15 + 5]); a.lea(rdi, __[r15 + 0x400]); a.rep.movsb(); });
        c["rep movsb overlap"] = new(a => { a.mov(ecx, 0x100); a.lea(rsi, __[r15 + 5]); a.lea(rdi, __[r15 + 9]); a.rep.movsb(); });
        c["rep movsq"] = new(a => { a.mov(ecx, 0x41); a.lea(rsi, __[r15 + 3]); a.lea(rdi, __[r15 + 0x600]); a.rep.movsq(); });
        c["std rep movsd"] = new(a => { a.std(); a.mov(ecx, 0x31); a.lea(rsi, __[r15 + 0x300]); a.lea(rdi, __[r15 + 0x700]); a.rep.movsd(); a.cld(); });
        c["rep stosb"] = new(a => { a.mov(ecx, 0x777); a.lea(rdi, __[r15 + 1]); a.rep.stosb(); });
        c["rep stosq"] = new(a => { a.mov(ecx, 0x77); a.lea(rdi, __[r15 + 4]); a.rep.stosq(); });
        c["stosw lodsw"] = new(a => { a.lea(rdi, __[r15 + 1]); a.lea(rsi, __[r15 + 0x81]); a.stosw(); a.lodsw(); });
        c["repne scasb"] = new(a => { a.mov(ecx, 0x200); a.lea(rdi, __[r15]); a.repne.scasb(); });
        c["repe cmpsb"] = new(a => { a.mov(ecx, 0x40); a.lea(rsi, __[r15]); a.lea(rdi, __[r15 + 0x200]); a.mov(rax, __qword_ptr[r15]); a.mov(__qword_ptr[r15 + 0x200], rax); a.repe.cmpsb(); });
        c["cmpsq"] = new(a => { a.lea(rsi, __[r15]); a.lea(rdi, __[r15 + 0x200]); a.cmpsq(); });
        c["xlatb"] = new(a => { a.lea(rbx, __[r15]); a.xlatb(); });
        return c;
    }

    private static bool IdivOk(CpuState s, int size)
    {
        long d = (long)Ferry.Interpreter.Operands.SignExtend(s.Gpr[3], size);
        if (d == 0) return false;
        Int128 n = size switch
        {
            1 => (short)s.Gpr[0],
            2 => (int)(((s.Gpr[2] & 0xFFFF) << 16) | (s.Gpr[0] & 0xFFFF)),
            4 => (long)(((s.Gpr[2] & 0xFFFF_FFFF) << 32) | (s.Gpr[0] & 0xFFFF_FFFF)),
            _ => (Int128)(((UInt128)s.Gpr[2] << 64) | s.Gpr[0]),
        };
        Int128 q = n / d;
        long max = (long)((1UL << (size * 8 - 1)) - 1);
        return q <= max && q >= -max - 1;
    }

    // The Assembler's methods are overloaded per operand type; dynamic picks the overload by name at run time.
    private static void Call(object a, string name, params object[] args)
    {
        var t = a.GetType();
        var types = args.Select(x => x.GetType()).ToArray();
        var m = t.GetMethod(name, types) ?? t.GetMethods().First(mm => mm.Name == name && mm.GetParameters().Length == args.Length &&
            mm.GetParameters().Zip(args).All(p => p.First.ParameterType.IsInstanceOfType(p.Second) || IsConvertible(p.Second, p.First.ParameterType)));
        var conv = m.GetParameters().Zip(args).Select(p => p.First.ParameterType.IsInstanceOfType(p.Second) ? p.Second : Narrow((int)p.Second, p.First.ParameterType)).ToArray();
        m.Invoke(a, conv);
    }

    private static object Narrow(int v, Type t) => unchecked(
        t == typeof(sbyte) ? (sbyte)v : t == typeof(byte) ? (byte)v : t == typeof(short) ? (short)v : t == typeof(ushort) ? (ushort)v :
        t == typeof(uint) ? (uint)v : t == typeof(long) ? (long)v : t == typeof(ulong) ? (ulong)v : (object)v);

    private static bool IsConvertible(object v, Type t) => v is int && (t == typeof(int) || t == typeof(long) || t == typeof(byte) || t == typeof(sbyte) || t == typeof(short) || t == typeof(uint) || t == typeof(ulong));

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesHostCpu(string name)
    {
        var k = Cases[name];
        var code = DifferentialHarness.Assemble(k.Emit);
        var r = new Random(TestSeed.For(IntegerFormTests.StableSeed(name) ^ 12345)); // string.GetHashCode differs per process
        int ran = 0;
        for (int n = 0; n < 300 * TestSeed.Scale && ran < 150 * TestSeed.Scale; n++)
        {
            var s = _h.RandomState(r);
            if (n % 5 == 0) s.Gpr[1] = (ulong)r.Next(0, 70); // small shift counts in CL
            if (k.Setup != null) s = k.Setup(s);
            if (k.Valid != null && !k.Valid(s)) continue;
            ran++;
            var diff = _h.Compare(code, s, k.Undefined?.Invoke(s) ?? 0);
            Assert.True(diff == null, $"{name}, case {n} {TestSeed.Replay}: {diff}\nstart: {Describe(s)}");
        }
        Assert.True(ran > 10, $"{name}: too few valid cases ({ran})");
    }

    private static string Describe(CpuState s)
    {
        var parts = new List<string>();
        for (int n = 0; n < 16; n++) parts.Add($"r{n}=0x{s.Gpr[n]:x}");
        parts.Add($"flags=0x{s.Rflags:x}");
        return string.Join(' ', parts);
    }
}
