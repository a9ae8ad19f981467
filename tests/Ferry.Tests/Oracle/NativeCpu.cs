using System.Runtime.InteropServices;
using Ferry.Cpu;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.Oracle;

/// <summary>The host CPU as the oracle: runs guest instruction bytes natively between a prologue
/// that loads a whole register file (GPRs, RFLAGS, x87/SSE through FXRSTOR) and an epilogue that
/// stores it back. Only for x86-64 hosts. On hosts with AVX the upper halves of YMM0–15 travel too
/// (VINSERTF128 after FXRSTOR, VEXTRACTF128 after FXSAVE), so VEX forms are compared in full.
/// Made with <c>segments: true</c>, the file also carries the FS and GS bases (WRFSBASE/RDFSBASE, which this
/// host lets user mode run) and the DS, ES, FS, GS and SS selectors, and the epilogue puts the host thread's
/// own back before any host code runs: the FS base is the .NET runtime's thread pointer.</summary>
public sealed unsafe class NativeCpu : IDisposable
{
    // Data block layout (all offsets from the block start).
    private const int OffGpr = 0, OffFlags = 128, OffHostRsp = 136, OffFsBase = 144, OffGsBase = 152, OffHostFs = 160, OffHostGs = 168,
        OffSel = 176, OffFx = 256, OffYmmHigh = 768, DataSize = 1024;
    // Selectors at OffSel, one word each, in this order.
    private static readonly AssemblerRegisterSegment[] Sregs = [ds, es, fs, gs, ss];
    private readonly bool _segments;
    private const int CodeSize = 64 * 1024;
    private readonly byte* _buf;
    private readonly int _prologueLen;
    private readonly byte[] _prologue;

    /// <summary>A scratch area the snippets may use as memory operands and stack (4 pages, RW).</summary>
    public ulong Scratch { get; }
    public const int ScratchSize = 4 * 4096;

    public NativeCpu(bool segments = false)
    {
        _segments = segments;
        _buf = (byte*)NativeMemory.AlignedAlloc(CodeSize, 4096);
        if (mprotect(_buf, CodeSize, 7) != 0) throw new InvalidOperationException("mprotect RWX failed");
        Scratch = (ulong)NativeMemory.AlignedAlloc(ScratchSize, 4096);
        _prologue = BuildPrologue((ulong)_buf, segments);
        _prologueLen = _prologue.Length;
    }

    /// <summary>True when the host has AVX and the YMM upper halves are part of the register file.</summary>
    public static bool HasAvx { get; } = System.Runtime.Intrinsics.X86.Avx.IsSupported;

    private static readonly AssemblerRegisterYMM[] Ymm =
        [ymm0, ymm1, ymm2, ymm3, ymm4, ymm5, ymm6, ymm7, ymm8, ymm9, ymm10, ymm11, ymm12, ymm13, ymm14, ymm15];

    [DllImport("libc")] private static extern int mprotect(void* addr, nuint len, int prot);

    private static ulong Data(ulong code) => code + CodeSize - DataSize;

    private static byte[] BuildPrologue(ulong codeBase, bool segments)
    {
        ulong data = Data(codeBase);
        var a = new Assembler(64);
        a.push(rbx); a.push(rbp); a.push(r12); a.push(r13); a.push(r14); a.push(r15);
        a.mov(rax, data);
        a.mov(__qword_ptr[rax + OffHostRsp], rsp);
        if (segments)
        {
            a.rdfsbase(rcx); a.mov(__qword_ptr[rax + OffHostFs], rcx);
            a.rdgsbase(rcx); a.mov(__qword_ptr[rax + OffHostGs], rcx);
            // Selectors first: loading one sets its segment's base from the descriptor.
            for (int n = 0; n < Sregs.Length; n++) { a.movzx(ecx, __word_ptr[rax + OffSel + 2 * n]); a.mov(Sregs[n], ecx); }
            a.mov(rcx, __qword_ptr[rax + OffFsBase]); a.wrfsbase(rcx);
            a.mov(rcx, __qword_ptr[rax + OffGsBase]); a.wrgsbase(rcx);
        }
        a.fxrstor(__[rax + OffFx]);
        if (HasAvx)
            for (int n = 0; n < 16; n++) a.vinsertf128(Ymm[n], Ymm[n], __xmmword_ptr[rax + OffYmmHigh + 16 * n], 1);
        // Flags go through the host stack so nothing is written below the guest's RSP.
        a.push(__qword_ptr[rax + OffFlags]);
        a.popfq();
        a.mov(rsp, __qword_ptr[rax + OffGpr + 8 * CpuState.Rsp]);
        var regs = new AssemblerRegister64[] { rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15 };
        for (int r = 15; r >= 1; r--)
            if (r != CpuState.Rsp) a.mov(regs[r], __qword_ptr[rax + OffGpr + 8 * r]);
        a.mov(rax, __qword_ptr[rax + OffGpr]);
        var w = new CodeWriterImpl();
        a.Assemble(w, codeBase);
        return w.ToArray();
    }

    private static byte[] BuildEpilogue(ulong at, ulong codeBase, bool segments)
    {
        ulong data = Data(codeBase);
        var a = new Assembler(64);
        // Store RAX and RSP first through absolute moffs stores, then switch to the host stack for PUSHFQ.
        a.mov(__qword_ptr[data + OffGpr], rax);
        a.mov(rax, rsp);
        a.mov(__qword_ptr[data + OffGpr + 8 * CpuState.Rsp], rax);
        a.mov(rax, __qword_ptr[data + OffHostRsp]);
        a.mov(rsp, rax);
        a.pushfq();
        a.pop(rax);
        a.mov(__qword_ptr[data + OffFlags], rax);
        a.cld(); // the host ABI requires DF clear
        a.mov(rax, data);
        var regs = new AssemblerRegister64[] { rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15 };
        for (int r = 1; r < 16; r++) if (r != CpuState.Rsp) a.mov(__qword_ptr[rax + OffGpr + 8 * r], regs[r]);
        if (segments)
        {
            a.rdfsbase(rcx); a.mov(__qword_ptr[rax + OffFsBase], rcx);
            a.rdgsbase(rcx); a.mov(__qword_ptr[rax + OffGsBase], rcx);
            for (int n = 0; n < Sregs.Length; n++) { a.mov(ecx, Sregs[n]); a.mov(__word_ptr[rax + OffSel + 2 * n], cx); }
            // The host's selectors: null in DS, ES, FS and GS, the user data segment in SS; then its bases.
            a.xor(ecx, ecx);
            a.mov(ds, ecx); a.mov(es, ecx); a.mov(fs, ecx); a.mov(gs, ecx);
            a.mov(ecx, UserGdt.UserData); a.mov(ss, ecx);
            a.mov(rcx, __qword_ptr[rax + OffHostFs]); a.wrfsbase(rcx);
            a.mov(rcx, __qword_ptr[rax + OffHostGs]); a.wrgsbase(rcx);
        }
        a.fxsave(__[rax + OffFx]);
        if (HasAvx)
        {
            for (int n = 0; n < 16; n++) a.vextractf128(__xmmword_ptr[rax + OffYmmHigh + 16 * n], Ymm[n], 1);
            a.vzeroupper(); // the host's code expects clean upper halves
        }
        a.mov(rsp, __qword_ptr[rax + OffHostRsp]);
        a.pop(r15); a.pop(r14); a.pop(r13); a.pop(r12); a.pop(rbp); a.pop(rbx);
        a.ret();
        var w = new CodeWriterImpl();
        a.Assemble(w, at);
        return w.ToArray();
    }

    /// <summary>Runs <paramref name="code"/> natively on <paramref name="s"/>; the code must fall through
    /// at its end (no control transfer out). Memory operands must point into <see cref="Scratch"/>.</summary>
    public void Run(ref CpuState s, ReadOnlySpan<byte> code)
    {
        ulong codeBase = (ulong)_buf;
        ulong data = Data(codeBase);
        _prologue.CopyTo(new Span<byte>(_buf, _prologueLen));
        code.CopyTo(new Span<byte>(_buf + _prologueLen, code.Length));
        ulong epiAt = codeBase + (ulong)_prologueLen + (ulong)code.Length;
        var epi = BuildEpilogue(epiAt, codeBase, _segments);
        epi.CopyTo(new Span<byte>((void*)epiAt, epi.Length));

        for (int r = 0; r < 16; r++) *(ulong*)(data + OffGpr + 8 * (ulong)r) = s.Gpr[r];
        *(ulong*)(data + OffFlags) = s.Rflags;
        *(ulong*)(data + OffFsBase) = s.FsBase;
        *(ulong*)(data + OffGsBase) = s.GsBase;
        ushort[] sel = [s.Ds, s.Es, s.Fs, s.Gs, s.Ss];
        for (int n = 0; n < sel.Length; n++) *(ushort*)(data + OffSel + 2 * (ulong)n) = sel[n];
        var fx = new Span<byte>((void*)(data + OffFx), 512);
        FxImage.Save(ref s, fx);
        for (int n = 0; n < 16; n++)
        {
            *(ulong*)(data + OffYmmHigh + 16 * (ulong)n) = s.Vec[n * 4 + 2];
            *(ulong*)(data + OffYmmHigh + 16 * (ulong)n + 8) = s.Vec[n * 4 + 3];
        }
        ((delegate* unmanaged<void>)codeBase)();
        for (int r = 0; r < 16; r++) s.Gpr[r] = *(ulong*)(data + OffGpr + 8 * (ulong)r);
        s.Rflags = *(ulong*)(data + OffFlags);
        if (_segments)
        {
            s.FsBase = *(ulong*)(data + OffFsBase);
            s.GsBase = *(ulong*)(data + OffGsBase);
            s.Ds = *(ushort*)(data + OffSel); s.Es = *(ushort*)(data + OffSel + 2); s.Fs = *(ushort*)(data + OffSel + 4);
            s.Gs = *(ushort*)(data + OffSel + 6); s.Ss = *(ushort*)(data + OffSel + 8);
        }
        FxImage.Load(ref s, fx);
        if (HasAvx)
            for (int n = 0; n < 16; n++)
            {
                s.Vec[n * 4 + 2] = *(ulong*)(data + OffYmmHigh + 16 * (ulong)n);
                s.Vec[n * 4 + 3] = *(ulong*)(data + OffYmmHigh + 16 * (ulong)n + 8);
            }
    }

    public void Dispose()
    {
        mprotect(_buf, CodeSize, 3);
        NativeMemory.AlignedFree(_buf);
        NativeMemory.AlignedFree((void*)Scratch);
    }

    private sealed class CodeWriterImpl : CodeWriter
    {
        private readonly List<byte> _bytes = new();
        public override void WriteByte(byte value) => _bytes.Add(value);
        public byte[] ToArray() => _bytes.ToArray();
    }
}
