using System.Buffers.Binary;
using Ferry.Cpu;
using Ferry.Linux.Threads;
using Ferry.Memory;

namespace Ferry.Linux.Signals;

/// <summary>The x86-64 rt_sigframe exactly as Linux lays it out (arch/x86/kernel/signal_64.c):
/// return address (sa_restorer), ucontext (flags, link, stack_t, sigcontext, mask), siginfo, and the
/// 512-byte FXSAVE image 64-byte aligned above it. When the guest's CPU has AVX, the image is the
/// kernel's XSAVE form instead: the FXSAVE area with its software-reserved bytes describing the
/// extension (FP_XSTATE_MAGIC1), the XSAVE header, the YMM upper halves, and FP_XSTATE_MAGIC2.</summary>
public static class SignalFrame
{
    private const int UcontextOffset = 8, SiginfoOffset = 8 + 304, FrameSize = 8 + 304 + 128;
    private const int McontextOffset = 40, SigmaskOffset = 296;
    private const int FpSize = 512, RedZone = 128;
    private const ulong UcFpXstate = 1, UcSigcontextSs = 2, UcStrictRestoreSs = 4;
    // The XSAVE form (standard layout): legacy area, header at 512, AVX state at 576, then MAGIC2.
    private const int XstateSize = 832, XstateFpSize = XstateSize + 4, SwBytes = 464;
    private const uint FpXstateMagic1 = 0x46505853, FpXstateMagic2 = 0x46505845;

    private static bool UsesXstate(Processor cpu) => cpu.Cpuid.Has(CpuFeature.Avx) && cpu.Cpuid.Has(CpuFeature.Xsave);
    // Registers in sigcontext order.
    private static readonly int[] GregOrder = { 8, 9, 10, 11, 12, 13, 14, 15, CpuState.Rdi, CpuState.Rsi, CpuState.Rbp, CpuState.Rbx, CpuState.Rdx, CpuState.Rax, CpuState.Rcx, CpuState.Rsp };
    /// <summary>RFLAGS bits sigreturn takes from the frame (the kernel's FIX_EFLAGS).</summary>
    private const ulong RestorableFlags = Flags.Status | Flags.TF | Flags.DF | Flags.AC | 0x10000;

    /// <summary>Pushes a frame for <paramref name="info"/> and points the CPU at the handler. Returns false
    /// when the frame cannot be written (the kernel then kills the process with SIGSEGV).</summary>
    public static bool Push(Processor cpu, GuestThread thread, SignalAction act, SignalInfo info, ulong oldMask)
    {
        ref CpuState s = ref cpu.State;
        var mem = cpu.Memory;
        ulong sp = s.Gpr[CpuState.Rsp];
        var alt = thread.AltStack;
        bool onAlt = alt.Flags != 2 && sp - alt.Sp <= alt.Size && sp > alt.Sp;
        if ((act.Flags & SignalAction.SaOnStack) != 0 && alt.Flags != 2 && !onAlt) sp = alt.Sp + alt.Size;
        else sp -= RedZone;
        bool xstate = UsesXstate(cpu);
        int fpSize = xstate ? XstateFpSize : FpSize;
        ulong fp = (sp - (ulong)fpSize) & ~63UL;
        ulong frame = ((fp - FrameSize) & ~15UL) - 8;
        if (!mem.CanAccess(frame, fp + (ulong)fpSize - frame, PageFlags.Write)) return false;

        var f = new byte[FrameSize];
        var fx = new byte[fpSize];
        FxsaveImage.Save(ref s, fx);
        if (xstate) WriteXstate(ref s, fx, cpu.Cpuid.Xcr0);
        BinaryPrimitives.WriteUInt64LittleEndian(f, act.Restorer);
        var uc = f.AsSpan(UcontextOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(uc, UcSigcontextSs | UcStrictRestoreSs | (xstate ? UcFpXstate : 0));
        BinaryPrimitives.WriteUInt64LittleEndian(uc[16..], alt.Sp);
        BinaryPrimitives.WriteInt32LittleEndian(uc[24..], alt.Flags == 2 ? 2 : onAlt ? 1 : 0);
        BinaryPrimitives.WriteUInt64LittleEndian(uc[32..], alt.Size);
        var mc = uc[McontextOffset..];
        for (int n = 0; n < 16; n++) BinaryPrimitives.WriteUInt64LittleEndian(mc[(8 * n)..], s.Gpr[GregOrder[n]]);
        BinaryPrimitives.WriteUInt64LittleEndian(mc[128..], s.Rip);
        BinaryPrimitives.WriteUInt64LittleEndian(mc[136..], s.Rflags);
        BinaryPrimitives.WriteUInt16LittleEndian(mc[144..], 0x33);  // cs
        BinaryPrimitives.WriteUInt16LittleEndian(mc[150..], 0x2b);  // ss
        BinaryPrimitives.WriteUInt64LittleEndian(mc[152..], info.Error);
        BinaryPrimitives.WriteUInt64LittleEndian(mc[160..], (ulong)info.Trapno);
        BinaryPrimitives.WriteUInt64LittleEndian(mc[168..], oldMask);
        BinaryPrimitives.WriteUInt64LittleEndian(mc[176..], info.Signo == GuestSignal.SIGSEGV ? info.Address : 0);
        BinaryPrimitives.WriteUInt64LittleEndian(mc[184..], fp);
        BinaryPrimitives.WriteUInt64LittleEndian(uc[SigmaskOffset..], oldMask);
        WriteSiginfo(f.AsSpan(SiginfoOffset), info);
        mem.WriteBytes(fp, fx);
        mem.WriteBytes(frame, f);

        s.Gpr[CpuState.Rsp] = frame;
        s.Gpr[CpuState.Rdi] = (ulong)info.Signo;
        s.Gpr[CpuState.Rsi] = frame + SiginfoOffset;
        s.Gpr[CpuState.Rdx] = frame + UcontextOffset;
        s.Gpr[CpuState.Rax] = 0;
        s.Rip = act.Handler;
        s.Rflags &= ~(Flags.DF | Flags.TF | 0x10000UL);
        // The handler starts with a clean x87/SSE control state, as after the kernel's fpu__clear_user_states.
        s.Fcw = 0x037F; s.Fsw = 0; s.FpTop = 0; s.FpEmpty = 0xFF; s.Mxcsr = 0x1F80;
        return true;
    }

    // As the kernel's save_sw_bytes/save_xstate_epilog: XSTATE_BV always names x87 and SSE (so a handler
    // may edit the legacy area), and AVX when the upper halves are in use.
    private static void WriteXstate(ref CpuState s, Span<byte> fx, ulong xcr0)
    {
        var sw = fx[SwBytes..];
        BinaryPrimitives.WriteUInt32LittleEndian(sw, FpXstateMagic1);
        BinaryPrimitives.WriteUInt32LittleEndian(sw[4..], XstateFpSize);
        BinaryPrimitives.WriteUInt64LittleEndian(sw[8..], xcr0);
        BinaryPrimitives.WriteUInt32LittleEndian(sw[16..], XstateSize);
        bool upper = false;
        for (int n = 0; n < 16; n++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(fx[(576 + 16 * n)..], s.Vec[n * 4 + 2]);
            BinaryPrimitives.WriteUInt64LittleEndian(fx[(584 + 16 * n)..], s.Vec[n * 4 + 3]);
            upper |= (s.Vec[n * 4 + 2] | s.Vec[n * 4 + 3]) != 0;
        }
        BinaryPrimitives.WriteUInt64LittleEndian(fx[512..], (3UL | (upper ? 4UL : 0)) & xcr0);
        BinaryPrimitives.WriteUInt32LittleEndian(fx[XstateSize..], FpXstateMagic2);
    }

    /// <summary>Restores the YMM upper halves from a valid XSAVE-form image (absent in XSTATE_BV: zeroed);
    /// an image without valid magic numbers is FXSAVE-only and the upper halves return to their initial state.</summary>
    private static void ReadXstate(ref CpuState s, ReadOnlySpan<byte> fx, bool valid)
    {
        bool avx = valid && (BinaryPrimitives.ReadUInt64LittleEndian(fx[512..]) & BinaryPrimitives.ReadUInt64LittleEndian(fx[(SwBytes + 8)..]) & 4) != 0;
        for (int n = 0; n < 16; n++)
        {
            s.Vec[n * 4 + 2] = avx ? BinaryPrimitives.ReadUInt64LittleEndian(fx[(576 + 16 * n)..]) : 0;
            s.Vec[n * 4 + 3] = avx ? BinaryPrimitives.ReadUInt64LittleEndian(fx[(584 + 16 * n)..]) : 0;
        }
    }

    private static void WriteSiginfo(Span<byte> si, SignalInfo info)
    {
        BinaryPrimitives.WriteInt32LittleEndian(si, info.Signo);
        BinaryPrimitives.WriteInt32LittleEndian(si[8..], info.Code);
        if (info.IsFault && info.Code > 0)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(si[16..], info.Address);
            return;
        }
        BinaryPrimitives.WriteInt32LittleEndian(si[16..], info.Pid);
        BinaryPrimitives.WriteUInt32LittleEndian(si[20..], info.Uid);
        BinaryPrimitives.WriteUInt64LittleEndian(si[24..], info.Value);
    }

    /// <summary>rt_sigreturn: restores registers, FPU state, mask and alternate stack from the frame at
    /// RSP-8. Returns the restored RAX (the system call's "result"), or null if the frame is unreadable.</summary>
    public static ulong? Return(Processor cpu, GuestThread thread)
    {
        ref CpuState s = ref cpu.State;
        var mem = cpu.Memory;
        ulong frame = s.Gpr[CpuState.Rsp] - 8;
        var f = new byte[FrameSize];
        if (!mem.CanAccess(frame, FrameSize, PageFlags.Read)) return null;
        mem.ReadBytes(frame, f);
        var uc = f.AsSpan(UcontextOffset);
        var mc = uc[McontextOffset..];
        ulong fp = BinaryPrimitives.ReadUInt64LittleEndian(mc[184..]);
        bool xstate = UsesXstate(cpu), validXstate = false;
        var fx = new byte[xstate ? XstateFpSize : FpSize];
        if (fp != 0)
        {
            if (!mem.CanAccess(fp, FpSize, PageFlags.Read)) return null;
            mem.ReadBytes(fp, fx.AsSpan(0, FpSize));
            // Like check_xstate_in_sigframe: the extension counts only with both magic numbers in place.
            if (xstate && BinaryPrimitives.ReadUInt32LittleEndian(fx.AsSpan(SwBytes)) == FpXstateMagic1
                && BinaryPrimitives.ReadUInt32LittleEndian(fx.AsSpan(SwBytes + 4)) == XstateFpSize
                && mem.CanAccess(fp + FpSize, XstateFpSize - FpSize, PageFlags.Read))
            {
                mem.ReadBytes(fp + FpSize, fx.AsSpan(FpSize));
                validXstate = BinaryPrimitives.ReadUInt32LittleEndian(fx.AsSpan(XstateSize)) == FpXstateMagic2;
            }
        }
        for (int n = 0; n < 16; n++) s.Gpr[GregOrder[n]] = BinaryPrimitives.ReadUInt64LittleEndian(mc[(8 * n)..]);
        s.Rip = BinaryPrimitives.ReadUInt64LittleEndian(mc[128..]);
        ulong flags = BinaryPrimitives.ReadUInt64LittleEndian(mc[136..]);
        s.Rflags = (s.Rflags & ~RestorableFlags) | (flags & RestorableFlags) | Flags.Reserved1;
        if (fp != 0) FxsaveImage.Load(ref s, fx);
        if (xstate) ReadXstate(ref s, fx, fp != 0 && validXstate);
        else { s.Fcw = 0x037F; s.Fsw = 0; s.FpTop = 0; s.FpEmpty = 0xFF; s.Mxcsr = 0x1F80; }
        const ulong unblockable = (1UL << (GuestSignal.SIGKILL - 1)) | (1UL << (GuestSignal.SIGSTOP - 1));
        thread.Blocked = BinaryPrimitives.ReadUInt64LittleEndian(uc[SigmaskOffset..]) & ~unblockable;
        ulong ssSp = BinaryPrimitives.ReadUInt64LittleEndian(uc[16..]);
        int ssFlags = BinaryPrimitives.ReadInt32LittleEndian(uc[24..]);
        ulong ssSize = BinaryPrimitives.ReadUInt64LittleEndian(uc[32..]);
        // Like restore_altstack: a frame taken on the alternate stack cannot move it.
        if ((ssFlags & 1) == 0) thread.AltStack = (ssSp, ssFlags & 2, ssSize);
        return s.Gpr[CpuState.Rax];
    }
}
