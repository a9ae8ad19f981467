using Ferry.Cpu;
using Ferry.Tests.Oracle;
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;
using X86Base = System.Runtime.Intrinsics.X86.X86Base;

namespace Ferry.Tests.Instructions;

/// <summary>The forms the generated integer tests leave out because they need a particular set-up, against
/// the host CPU: segment registers and the FS/GS bases (the harness carries them and gives the host thread its
/// own back), far returns to the 64-bit code selector, LSL, absolute-address moves, single string
/// instructions, near branches with 32-bit displacements, the fence and ENDBR encodings, and the
/// instructions whose results Ferry defines itself (CPUID, XGETBV, RDTSC, RDTSCP), compared by shape as
/// <see cref="Reconcilers"/> defines it. The thread runs pinned to one host CPU at a time, so RDTSCP's TSC_AUX
/// and the per-CPU segment's limit are the same in both runs.</summary>
public sealed class SystemFormTests : IClassFixture<SystemFormTests.Fixture>
{
    public sealed class Fixture : IDisposable
    {
        public DifferentialHarness H { get; } = new(segments: true);
        public void Dispose() => H.Dispose();
    }

    private readonly DifferentialHarness _h;
    public SystemFormTests(Fixture f) => _h = f.H;

    private sealed record Case(Action<Assembler, ulong> Emit, Func<CpuState, Random, CpuState>? Setup = null, DifferentialHarness.Reconcile? Reconcile = null, ulong Undefined = 0);

    // Selectors a data segment register takes at CPL 3 in Linux's GDT (null, the user data and code segments
    // with any RPL, the per-CPU segment); anything else is #GP, which would kill the test process natively.
    private static readonly ushort[] DataSelectors = [0, 1, 3, 0x28, 0x2b, 0x23, 0x33, 0x30, 0x7b];
    // Selectors LSL is asked about: valid ones, ring-0 and system descriptors, the LDT, past the table.
    private static readonly ushort[] LslSelectors = [0, 3, 0x08, 0x10, 0x18, 0x23, 0x2b, 0x33, 0x40, 0x48, 0x7b, 0x7c, 0x80, 0x83, 0xFFFF];

    private static readonly Dictionary<string, Case> Cases = BuildCases();

    public static IEnumerable<object[]> Names() => Cases.Keys.Order().Select(k => new object[] { k });

    private static CpuState With(CpuState s, int reg, ulong v) { s.Gpr[reg] = v; return s; }

    private static Dictionary<string, Case> BuildCases()
    {
        var c = new Dictionary<string, Case>();
        Func<CpuState, Random, CpuState> dataSel = (s, r) => With(s, CpuState.Rcx, (s.Gpr[CpuState.Rcx] & ~0xFFFFUL) | DataSelectors[r.Next(DataSelectors.Length)]);
        Func<CpuState, Random, CpuState> stackSel = (s, r) => With(s, CpuState.Rcx, (s.Gpr[CpuState.Rcx] & ~0xFFFFUL) | UserGdt.UserData);
        Func<CpuState, Random, CpuState> canonical = (s, r) => With(s, CpuState.Rcx, r.Next(3) == 0 ? 0 : (ulong)r.NextInt64(1L << 47) | (r.Next(2) == 0 ? 0 : 0xFFFF_8000_0000_0000UL));

        // FSGSBASE.
        c["rdfsbase r64"] = new((a, _) => a.rdfsbase(rax));
        c["rdfsbase r32"] = new((a, _) => a.rdfsbase(ebx));
        c["rdgsbase r64"] = new((a, _) => a.rdgsbase(rdx));
        c["rdgsbase r32"] = new((a, _) => a.rdgsbase(esi));
        c["wrfsbase r64"] = new((a, _) => { a.wrfsbase(rcx); a.rdfsbase(rax); }, canonical);
        c["wrfsbase r32"] = new((a, _) => { a.wrfsbase(ecx); a.rdfsbase(rax); });
        c["wrgsbase r64"] = new((a, _) => { a.wrgsbase(rcx); a.rdgsbase(rax); }, canonical);
        c["wrgsbase r32"] = new((a, _) => { a.wrgsbase(ecx); a.rdgsbase(rax); });

        // Segment registers: reads, loads (which also set the FS/GS base from the descriptor), PUSH/POP.
        var sregs = new (string Name, AssemblerRegisterSegment Reg)[] { ("ds", ds), ("es", es), ("fs", fs), ("gs", gs), ("ss", ss), ("cs", cs) };
        foreach (var (name, reg) in sregs)
        {
            c[$"mov r16,{name}"] = new((a, _) => a.mov(ax, reg));
            c[$"mov r32,{name}"] = new((a, _) => a.mov(ebx, reg));
            c[$"mov r64,{name}"] = new((a, _) => a.mov(rdx, reg));
            c[$"mov m16,{name}"] = new((a, _) => a.mov(__word_ptr[r15 + 0x10], reg));
            if (name == "cs") continue;
            var sel = name == "ss" ? stackSel : dataSel;
            c[$"mov {name},r16"] = new((a, _) => { a.mov(reg, cx); a.mov(eax, reg); }, sel);
            c[$"mov {name},r32"] = new((a, _) => { a.mov(reg, ecx); a.mov(eax, reg); }, sel);
            c[$"mov {name},r64"] = new((a, _) => { a.mov(reg, rcx); a.mov(eax, reg); }, sel);
            c[$"mov {name},m16"] = new((a, _) => { a.mov(__word_ptr[r15 + 0x20], cx); a.mov(reg, __word_ptr[r15 + 0x20]); a.mov(eax, reg); }, sel);
        }
        foreach (var (name, reg, push, pop) in new[] { ("fs", fs, (byte)0xA0, (byte)0xA1), ("gs", gs, (byte)0xA8, (byte)0xA9) })
        {
            c[$"push {name}"] = new((a, _) => { a.mov(reg, ecx); a.push(reg); a.pop(rax); }, dataSel);
            c[$"pushw {name}"] = new((a, _) => { a.mov(reg, ecx); a.db(0x66, 0x0F, push); a.pop(ax); }, dataSel);
            c[$"pop {name}"] = new((a, _) => { a.push(rcx); a.pop(reg); a.mov(rax, reg); }, dataSel);
            c[$"popw {name}"] = new((a, _) => { a.push(cx); a.db(0x66, 0x0F, pop); a.mov(rax, reg); }, dataSel);
        }
        // LSS/LFS/LGS: offset then selector in memory (AMD reads m16:32 for the REX.W form too).
        foreach (var name in new[] { "lfs", "lgs", "lss" })
        {
            var sel = name == "lss" ? stackSel : dataSel;
            void Load(Assembler a, int size)
            {
                var m = __[r15 + 0x40];
                switch ((name, size))
                {
                    case ("lfs", 2): a.lfs(ax, m); break;
                    case ("lfs", 4): a.lfs(eax, m); break;
                    case ("lfs", _): a.lfs(rax, m); break;
                    case ("lgs", 2): a.lgs(ax, m); break;
                    case ("lgs", 4): a.lgs(eax, m); break;
                    case ("lgs", _): a.lgs(rax, m); break;
                    case ("lss", 2): a.lss(ax, m); break;
                    case ("lss", 4): a.lss(eax, m); break;
                    default: a.lss(rax, m); break;
                }
            }
            c[$"{name} r16,m16:16"] = new((a, _) => { a.mov(__dword_ptr[r15 + 0x40], edx); a.mov(__word_ptr[r15 + 0x42], cx); Load(a, 2); }, sel);
            c[$"{name} r32,m16:32"] = new((a, _) => { a.mov(__qword_ptr[r15 + 0x40], rdx); a.mov(__word_ptr[r15 + 0x44], cx); Load(a, 4); }, sel);
            c[$"{name} r64,m16:64"] = new((a, _) => { a.mov(__qword_ptr[r15 + 0x40], rdx); a.mov(__word_ptr[r15 + 0x44], cx); Load(a, 8); }, sel);
        }

        // Far returns and IRETQ to the 64-bit user code selector, within the snippet.
        c["retfq"] = new((a, _) => { var l = a.CreateLabel(); a.lea(rax, __[l]); a.push(UserGdt.UserCode); a.push(rax); a.db(0x48, 0xCB); a.Label(ref l); a.mov(eax, 0); a.mov(__qword_ptr[rsp - 0x10], rax); }); // RAX and the stack held the code address, which differs
        c["retfq imm16"] = new((a, _) => { var l = a.CreateLabel(); a.sub(rsp, 0x28); a.lea(rax, __[l]); a.push(UserGdt.UserCode); a.push(rax); a.db(0x48, 0xCA, 0x28, 0x00); a.Label(ref l); a.mov(eax, 0); a.mov(__qword_ptr[rsp - 0x38], rax); }); // RAX and the stack held the code address, which differs
        // IRETQ also loads RFLAGS (the status flags and DF, which user mode may set) and SS:RSP.
        Func<CpuState, Random, CpuState> iretFlags = (s, r) => With(s, CpuState.Rbx, Flags.Reserved1 | Flags.IF | ((ulong)r.Next() & (Flags.Status | Flags.DF)));
        c["iretq"] = new((a, _) =>
        {
            var l = a.CreateLabel();
            a.mov(rcx, rsp); a.sub(rcx, 0x18); a.lea(rax, __[l]);
            a.push(UserGdt.UserData); a.push(rcx); a.push(rbx); a.push(UserGdt.UserCode); a.push(rax); a.iretq();
            a.Label(ref l); a.mov(eax, 0); a.mov(__qword_ptr[rsp - 0x10], rax); a.cld();
        }, iretFlags);

        // LSL (LAR is in the generated tests): the per-CPU segment's limit is (node << 12) | cpu.
        Func<CpuState, Random, CpuState> lslSel = (s, r) => With(s, CpuState.Rcx, (s.Gpr[CpuState.Rcx] & ~0xFFFFUL) | LslSelectors[r.Next(LslSelectors.Length)]);
        c["lsl r16,r16"] = new((a, _) => a.lsl(ax, cx), lslSel);
        c["lsl r32,r32"] = new((a, _) => a.lsl(eax, ecx), lslSel);
        c["lsl r64,r64"] = new((a, _) => a.lsl(rax, rcx), lslSel);
        c["lsl r32,m16"] = new((a, _) => { a.mov(__word_ptr[r15 + 0x30], cx); a.lsl(eax, __word_ptr[r15 + 0x30]); }, lslSel);

        // Moves with a 64-bit absolute address (A0–A3).
        foreach (var (name, bytes) in new (string, byte[])[]
        {
            ("mov al,moffs8", [0xA0]), ("mov ax,moffs16", [0x66, 0xA1]), ("mov eax,moffs32", [0xA1]), ("mov rax,moffs64", [0x48, 0xA1]),
            ("mov moffs8,al", [0xA2]), ("mov moffs16,ax", [0x66, 0xA3]), ("mov moffs32,eax", [0xA3]), ("mov moffs64,rax", [0x48, 0xA3]),
        })
            c[name] = new((a, data) => { a.db(bytes); a.dq(data + 0x123); });

        // Single string instructions, both directions.
        foreach (var dir in new[] { "cld", "std" })
        {
            foreach (var (name, op) in new (string, Action<Assembler>)[]
            {
                ("lodsb", a => a.lodsb()), ("lodsd", a => a.lodsd()), ("lodsq", a => a.lodsq()), ("scasw", a => a.scasw()),
                ("scasd", a => a.scasd()), ("scasq", a => a.scasq()), ("cmpsw", a => a.cmpsw()), ("cmpsd", a => a.cmpsd()),
                ("stosd", a => a.stosd()), ("movsw", a => a.movsw()), ("repe cmpsd", a => a.repe.cmpsd()), ("repne scasq", a => a.repne.scasq()),
            })
            {
                c[$"{dir} {name}"] = new((a, _) =>
                {
                    a.lea(rsi, __[r15 + 0x800]); a.lea(rdi, __[r15 + 0x1000]);
                    if (name.StartsWith("rep")) { a.and(ecx, 0x3F); a.mov(rax, __qword_ptr[r15 + 0x800]); a.mov(__qword_ptr[r15 + 0x1000], rax); }
                    if (dir == "std") a.std();
                    op(a);
                    a.cld();
                });
            }
        }

        // Near branches with 32-bit displacements and the 64-bit LOOPcc/JRCXZ: taken, they skip the INC.
        string[] conds = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"];
        for (int k = 0; k < 16; k++)
        {
            byte op = (byte)(0x80 + k);
            c[$"j{conds[k]} rel32"] = new((a, _) => { a.db(0x0F, op, 0x02, 0x00, 0x00, 0x00); a.inc(eax); });
        }
        c["jmp rel32"] = new((a, _) => { a.db(0xE9, 0x02, 0x00, 0x00, 0x00); a.inc(eax); });
        Func<CpuState, Random, CpuState> smallRcx = (s, r) => With(s, CpuState.Rcx, r.Next(3) == 0 ? s.Gpr[CpuState.Rcx] : (ulong)r.Next(3));
        c["loope rel8"] = new((a, _) => { a.db(0xE1, 0x02); a.inc(eax); }, smallRcx);
        c["loopne rel8"] = new((a, _) => { a.db(0xE0, 0x02); a.inc(eax); }, smallRcx);
        c["jrcxz rel8"] = new((a, _) => { a.db(0xE3, 0x02); a.inc(eax); }, smallRcx);

        // PUSHF/POPF with a 16-bit operand size (user mode can set only the status flags and DF).
        c["pushfw"] = new((a, _) => { a.db(0x66, 0x9C); a.pop(ax); });
        c["popfw"] = new((a, _) => { a.push(bx); a.db(0x66, 0x9D); }, (s, r) => With(s, CpuState.Rbx, Flags.Reserved1 | Flags.IF | ((ulong)r.Next() & (Flags.Status | Flags.DF))));

        // Encodings of no-operations: ENDBR (no CET here) and the fences' other ModRM bytes.
        c["endbr64 endbr32"] = new((a, _) => { a.db(0xF3, 0x0F, 0x1E, 0xFA); a.db(0xF3, 0x0F, 0x1E, 0xFB); });
        c["fence aliases"] = new((a, _) =>
        {
            for (int k = 0; k < 8; k++) a.db(0x0F, 0xAE, (byte)(0xE8 + k), 0x0F, 0xAE, (byte)(0xF0 + k), 0x0F, 0xAE, (byte)(0xF8 + k));
        });

        // Instructions whose results Ferry defines itself.
        foreach (var (leaf, sub) in new (uint, uint)[]
        {
            (0, 0), (1, 0), (2, 0), (4, 0), (4, 1), (4, 2), (4, 3), (4, 4), (7, 0), (7, 1), (0xD, 0), (0xD, 1), (0xD, 2), (0xD, 3),
            (0x80000000, 0), (0x80000001, 0), (0x80000002, 0), (0x80000003, 0), (0x80000004, 0), (0x80000006, 0), (0x80000008, 0),
        })
            c[$"cpuid {leaf:x}.{sub}"] = new((a, _) => a.cpuid(), (s, r) => With(With(s, CpuState.Rax, (s.Gpr[CpuState.Rax] & ~0xFFFF_FFFFUL) | leaf), CpuState.Rcx, (s.Gpr[CpuState.Rcx] & ~0xFFFF_FFFFUL) | sub), Reconcilers.Cpuid(leaf, sub));
        c["xgetbv 0"] = new((a, _) => a.xgetbv(), (s, r) => With(s, CpuState.Rcx, 0), Reconcilers.Xcr0);
        c["xgetbv 1"] = new((a, _) => a.xgetbv(), (s, r) => With(s, CpuState.Rcx, 1), Reconcilers.XinUse);
        c["rdtsc"] = new((a, _) => { a.rdtsc(); a.mov(r8, rax); a.mov(r9, rdx); a.rdtsc(); }, Reconcile: Reconcilers.Tsc(false));
        c["rdtscp"] = new((a, _) => { a.rdtscp(); a.mov(r8, rax); a.mov(r9, rdx); a.mov(r10, rcx); a.rdtscp(); }, Reconcile: Reconcilers.Tsc(true));
        return c;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesHostCpu(string name)
    {
        var k = Cases[name];
        var code = DifferentialHarness.Assemble(a => k.Emit(a, _h.DataBase));
        var r = new Random(TestSeed.For(IntegerFormTests.StableSeed(name) ^ 0x5e65));
        var cpus = HostCpuPin.Allowed();
        for (int n = 0; n < 60 * TestSeed.Scale; n++)
        {
            var s = _h.RandomState(r);
            if (k.Setup != null) s = k.Setup(s, r);
            var start = s;
            var diff = HostCpuPin.On(cpus[n % cpus.Length], () => _h.Compare(code, start, k.Undefined, k.Reconcile));
            Assert.True(diff == null, $"{name}, case {n} {TestSeed.Replay}: {diff}\nstart: rax=0x{s.Gpr[0]:x} rcx=0x{s.Gpr[1]:x} rdx=0x{s.Gpr[2]:x} rbx=0x{s.Gpr[3]:x} flags=0x{s.Rflags:x} fs=0x{s.FsBase:x} gs=0x{s.GsBase:x}");
        }
    }

    /// <summary>The code is assembled the same way for both runs, so the absolute address in the moffs forms
    /// points into the shared scratch area natively and under Ferry.</summary>
    [Fact]
    public void MoffsFormsDecodeAsSuch()
    {
        var code = DifferentialHarness.Assemble(a => Cases["mov rax,moffs64"].Emit(a, _h.DataBase));
        var d = Iced.Intel.Decoder.Create(64, code);
        Assert.Equal(Code.Mov_RAX_moffs64, d.Decode().Code);
    }

    /// <summary>The CPUID reconciler itself can fail: a leaf-1 feature bit the host lacks is reported.</summary>
    [Fact]
    public void CpuidReconcilerRejectsFeaturesTheHostLacks()
    {
        var (a, b, c, d) = X86Base.CpuId(1, 0);
        var native = new CpuState();
        native.Gpr[CpuState.Rax] = (uint)a; native.Gpr[CpuState.Rbx] = (uint)b; native.Gpr[CpuState.Rcx] = (uint)c; native.Gpr[CpuState.Rdx] = (uint)d;
        var same = native;
        Assert.Null(Reconcilers.Cpuid(1, 0)(native, ref same));
        int missing = Enumerable.Range(0, 32).First(bit => ((uint)c >> bit & 1) == 0);
        var extra = native;
        extra.Gpr[CpuState.Rcx] |= 1UL << missing;
        Assert.NotNull(Reconcilers.Cpuid(1, 0)(native, ref extra));
    }
}
