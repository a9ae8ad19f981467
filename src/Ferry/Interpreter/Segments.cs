using Ferry.Cpu;
using Ferry.Memory;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>Segment registers, far returns, IRET and the descriptor-table instructions, as a 64-bit Linux
/// process at CPL 3 sees them: descriptors come from <see cref="UserGdt"/>, bad selectors raise the #GP
/// the host raises (error code = the selector without its RPL), and SGDT/SIDT/SLDT/SMSW/STR give what the
/// kernel's UMIP emulation gives (the host has UMIP; Linux answers the #GP with fixed values).</summary>
internal static class Segments
{
    private const int Cpl = 3;

    private static CpuException Gp(int code = 0) => new(CpuExceptionKind.GeneralProtection, code: code);

    private static ushort Selector(in CpuState s, Register r) => r switch
    {
        Register.CS => UserGdt.UserCode,
        Register.SS => s.Ss,
        Register.DS => s.Ds,
        Register.ES => s.Es,
        Register.FS => s.Fs,
        _ => s.Gs,
    };

    // A data-segment register (DS, ES, FS, GS) takes the null selector or a readable segment of its
    // privilege; in 64-bit mode the loaded FS/GS base is the descriptor's, which is 0 in Linux's GDT
    // (and a null selector clears it too on this host).
    private static void LoadData(Processor p, Register r, ushort sel)
    {
        if ((sel & 0xFFFC) != 0)
        {
            var d = UserGdt.Lookup(sel);
            if (d is not { } desc || !desc.IsReadable) throw Gp(UserGdt.ErrorCode(sel));
            if (!desc.IsConforming && ((sel & 3) > desc.Dpl || Cpl > desc.Dpl)) throw Gp(UserGdt.ErrorCode(sel));
        }
        ref CpuState s = ref p.State;
        switch (r)
        {
            case Register.DS: s.Ds = sel; break;
            case Register.ES: s.Es = sel; break;
            case Register.FS: s.Fs = sel; s.FsBase = 0; break;
            case Register.GS: s.Gs = sel; s.GsBase = 0; break;
            default: throw new CpuException(CpuExceptionKind.InvalidOpcode);
        }
    }

    // SS takes only a writable data segment whose RPL and DPL are the CPL; the null selector is #GP(0).
    private static void CheckStack(ushort sel)
    {
        if ((sel & 0xFFFC) == 0) throw Gp();
        var d = UserGdt.Lookup(sel);
        if (d is not { } desc || (sel & 3) != Cpl || !desc.IsWritable || desc.Dpl != Cpl) throw Gp(UserGdt.ErrorCode(sel));
    }

    private static void Load(Processor p, Register r, ushort sel)
    {
        if (r == Register.SS) { CheckStack(sel); p.State.Ss = sel; }
        else LoadData(p, r, sel);
    }

    [HandlesCode(Code.Mov_rm16_Sreg, Code.Mov_r32m16_Sreg, Code.Mov_r64m16_Sreg)]
    private static void MovFromSreg(Processor p, in Instruction i)
    {
        ushort v = Selector(p.State, i.Op1Register);
        if (i.Op0Kind == OpKind.Register) Operands.SetReg(ref p.State, i.Op0Register, v);
        else p.Memory.Write16(Operands.Address(p, i), v);
    }

    [HandlesCode(Code.Mov_Sreg_rm16, Code.Mov_Sreg_r32m16, Code.Mov_Sreg_r64m16)]
    private static void MovToSreg(Processor p, in Instruction i)
    {
        if (i.Op0Register == Register.CS) throw new CpuException(CpuExceptionKind.InvalidOpcode);
        ushort v = i.Op1Kind == OpKind.Register ? (ushort)Operands.GetReg(ref p.State, i.Op1Register) : p.Memory.Read16(Operands.Address(p, i));
        Load(p, i.Op0Register, v);
    }

    [HandlesCode(Code.Pushw_FS, Code.Pushq_FS, Code.Pushw_GS, Code.Pushq_GS)]
    private static void PushSreg(Processor p, in Instruction i) =>
        Operands.Push(p, Selector(p.State, i.Op0Register), i.Code is Code.Pushw_FS or Code.Pushw_GS ? 2 : 8);

    [HandlesCode(Code.Popw_FS, Code.Popq_FS, Code.Popw_GS, Code.Popq_GS)]
    private static void PopSreg(Processor p, in Instruction i)
    {
        int size = i.Code is Code.Popw_FS or Code.Popw_GS ? 2 : 8;
        ref ulong rsp = ref p.State.Gpr[CpuState.Rsp];
        ushort sel = p.Memory.Read16(rsp);
        LoadData(p, i.Op0Register, sel);
        rsp += (ulong)size;
    }

    // LSS/LFS/LGS read offset:selector from memory. AMD ignores REX.W here (the host loads m16:32 and
    // zero-extends the offset), so the 64-bit form is the 32-bit one with a 64-bit destination.
    [HandlesCode(Code.Lss_r16_m1616, Code.Lss_r32_m1632, Code.Lss_r64_m1664,
        Code.Lfs_r16_m1616, Code.Lfs_r32_m1632, Code.Lfs_r64_m1664,
        Code.Lgs_r16_m1616, Code.Lgs_r32_m1632, Code.Lgs_r64_m1664)]
    private static void LoadFarPointer(Processor p, in Instruction i)
    {
        int size = i.Op0Register.GetSize() == 2 ? 2 : 4;
        ulong a = Operands.Address(p, i);
        ulong offset = p.Memory.Read(a, size);
        ushort sel = p.Memory.Read16(a + (ulong)size);
        var seg = i.Mnemonic switch { Mnemonic.Lss => Register.SS, Mnemonic.Lfs => Register.FS, _ => Register.GS };
        Load(p, seg, sel);
        Operands.SetReg(ref p.State, i.Op0Register, offset);
    }

    // A far transfer to ring 3 code: CS must name a code segment of the CPL (a conforming one may have a
    // lower DPL). Linux's 32-bit user code segment (0x23) would switch to compatibility mode, which Ferry
    // does not run: that is an instruction it cannot carry out, so the guest gets SIGILL.
    private static void CheckCode(ushort sel)
    {
        if ((sel & 0xFFFC) == 0) throw Gp();
        var d = UserGdt.Lookup(sel);
        if (d is not { } desc || !desc.IsCode || (sel & 3) < Cpl) throw Gp(UserGdt.ErrorCode(sel));
        if (desc.IsConforming ? desc.Dpl > (sel & 3) : desc.Dpl != (sel & 3)) throw Gp(UserGdt.ErrorCode(sel));
        if (!desc.IsLongCode) throw new CpuException(CpuExceptionKind.InvalidOpcode);
    }

    private static void CheckCanonical(ulong rip)
    {
        if ((ulong)((long)(rip << 16) >> 16) != rip) throw Gp();
    }

    private static int FarSize(Code c) => c switch
    {
        Code.Retfw or Code.Retfw_imm16 or Code.Iretw => 2,
        Code.Retfd or Code.Retfd_imm16 or Code.Iretd => 4,
        _ => 8,
    };

    [HandlesCode(Code.Retfw, Code.Retfw_imm16, Code.Retfd, Code.Retfd_imm16, Code.Retfq, Code.Retfq_imm16)]
    private static void FarReturn(Processor p, in Instruction i)
    {
        int size = FarSize(i.Code);
        ref CpuState s = ref p.State;
        ulong sp = s.Gpr[CpuState.Rsp];
        ulong rip = p.Memory.Read(sp, size);
        ushort cs = (ushort)p.Memory.Read(sp + (ulong)size, size);
        CheckCode(cs);
        CheckCanonical(rip);
        s.Gpr[CpuState.Rsp] = sp + (ulong)(2 * size) + (i.OpCount > 0 ? i.Immediate16 : 0u);
        s.Rip = rip;
    }

    // A far JMP or CALL to ring 3 code: a non-conforming segment must have DPL = CPL and a selector RPL no
    // higher than the CPL (CS then gets RPL = CPL); a conforming one a DPL no higher than the CPL.
    private static void CheckFarTarget(ushort sel)
    {
        if ((sel & 0xFFFC) == 0) throw Gp();
        var d = UserGdt.Lookup(sel);
        if (d is not { } desc || !desc.IsCode) throw Gp(UserGdt.ErrorCode(sel));
        if (desc.IsConforming ? desc.Dpl > Cpl : desc.Dpl != Cpl || (sel & 3) > Cpl) throw Gp(UserGdt.ErrorCode(sel));
        if (!desc.IsLongCode) throw new CpuException(CpuExceptionKind.InvalidOpcode);
    }

    // JMP FAR and CALL FAR through memory (FF /5, FF /3): offset then selector. AMD ignores REX.W here as in
    // LSS (the host reads m16:32), so the m16:64 forms are the 32-bit ones. CALL pushes CS and then the
    // return offset, each in the operand size.
    [HandlesCode(Code.Jmp_m1616, Code.Jmp_m1632, Code.Jmp_m1664, Code.Call_m1616, Code.Call_m1632, Code.Call_m1664)]
    private static void FarIndirect(Processor p, in Instruction i)
    {
        int size = i.Code is Code.Jmp_m1616 or Code.Call_m1616 ? 2 : 4;
        ulong a = Operands.Address(p, i);
        ulong rip = p.Memory.Read(a, size);
        ushort cs = p.Memory.Read16(a + (ulong)size);
        CheckFarTarget(cs);
        if (i.Mnemonic == Mnemonic.Call)
        {
            // Both stores before RSP moves, so a fault leaves the stack pointer as it was.
            ref ulong rsp = ref p.State.Gpr[CpuState.Rsp];
            ulong sp = rsp - 2 * (ulong)size;
            p.Memory.Write(sp + (ulong)size, size, UserGdt.UserCode);
            p.Memory.Write(sp, size, i.NextIP & Flags.Mask(size));
            rsp = sp;
        }
        p.State.Rip = rip;
    }

    // In 64-bit mode IRET always pops RIP, CS, RFLAGS, RSP and SS. At CPL 3 with IOPL 0 the flags it may
    // change are those POPF may change; IF and IOPL stay.
    [HandlesCode(Code.Iretw, Code.Iretd, Code.Iretq)]
    private static void Iret(Processor p, in Instruction i)
    {
        ref CpuState s = ref p.State;
        if ((s.Rflags & Flags.NT) != 0) throw Gp(); // a task return, which IA-32e mode does not have
        int size = FarSize(i.Code);
        ulong sp = s.Gpr[CpuState.Rsp], n = (ulong)size;
        ulong rip = p.Memory.Read(sp, size);
        ushort cs = (ushort)p.Memory.Read(sp + n, size);
        ulong flags = p.Memory.Read(sp + 2 * n, size);
        ulong rsp = p.Memory.Read(sp + 3 * n, size);
        ushort ss = (ushort)p.Memory.Read(sp + 4 * n, size);
        CheckCode(cs);
        CheckStack(ss);
        CheckCanonical(rip);
        ulong mask = Flags.UserWritable & Flags.Mask(size);
        s.Rflags = (s.Rflags & ~mask) | (flags & mask) | Flags.Reserved1;
        s.Ss = ss;
        s.Gpr[CpuState.Rsp] = rsp;
        s.Rip = rip;
    }

    // LAR, LSL, VERR and VERW see a descriptor when it is a code or data segment whose DPL is at least
    // the CPL and the selector's RPL (conforming code: any DPL); they set ZF then, clear it otherwise
    // and leave the destination alone.
    private static SegmentDescriptor? Visible(ushort sel)
    {
        if (UserGdt.Lookup(sel) is not { } d) return null;
        if (!d.IsConforming && (d.Dpl < Cpl || d.Dpl < (sel & 3))) return null;
        return d;
    }

    private static ushort SelectorOperand(Processor p, in Instruction i, int op) =>
        Operands.Kind(i, op) == OpKind.Register ? (ushort)Operands.GetReg(ref p.State, Operands.Reg(i, op)) : p.Memory.Read16(Operands.Address(p, i));

    private static void SetZf(Processor p, bool z) =>
        p.State.Rflags = z ? p.State.Rflags | Flags.ZF : p.State.Rflags & ~Flags.ZF;

    [HandlesCode(Code.Lar_r16_rm16, Code.Lar_r32_r32m16, Code.Lar_r64_r64m16,
        Code.Lsl_r16_rm16, Code.Lsl_r32_r32m16, Code.Lsl_r64_r64m16)]
    private static void LoadRightsOrLimit(Processor p, in Instruction i)
    {
        var d = Visible(SelectorOperand(p, i, 1));
        SetZf(p, d != null);
        if (d is { } desc) Operands.SetReg(ref p.State, i.Op0Register, i.Mnemonic == Mnemonic.Lar ? desc.Rights : desc.Limit);
    }

    [HandlesCode(Code.Verr_rm16, Code.Verr_r32m16, Code.Verr_r64m16, Code.Verw_rm16, Code.Verw_r32m16, Code.Verw_r64m16)]
    private static void Verify(Processor p, in Instruction i)
    {
        var d = Visible(SelectorOperand(p, i, 0));
        SetZf(p, d is { } desc && (i.Mnemonic == Mnemonic.Verr ? desc.IsReadable : desc.IsWritable));
    }

    // The kernel's UMIP emulation writes, for a register operand, as many bytes as the operand size into
    // the saved register (no zero-extension of a 32-bit one), and 2 bytes (10 for SGDT/SIDT) to memory.
    // A store it cannot make is SIGSEGV with SEGV_MAPERR at the operand address, as a not-present write.
    private static void UmipStore(Processor p, in Instruction i, ulong value, int memorySize)
    {
        if (i.Op0Kind == OpKind.Register)
        {
            var r = i.Op0Register;
            ref ulong g = ref p.State.Gpr[Operands.Index(r)];
            ulong m = Flags.Mask(r.GetSize());
            g = (g & ~m) | (value & m);
            return;
        }
        ulong a = Operands.Address(p, i);
        try
        {
            for (int k = 0; k < memorySize; k++) p.Memory.Write8(a + (ulong)k, k < 8 ? (byte)(value >> (8 * k)) : (byte)0);
        }
        catch (MemoryFault) { throw new CpuException(CpuExceptionKind.PageFault, a, 2); }
    }

    private static void UmipTable(Processor p, in Instruction i, ulong b)
    {
        // The limit (0) comes first, then the 8-byte base.
        ulong a = Operands.Address(p, i);
        try
        {
            p.Memory.Write8(a, 0); p.Memory.Write8(a + 1, 0);
            for (int k = 0; k < 8; k++) p.Memory.Write8(a + 2 + (ulong)k, (byte)(b >> (8 * k)));
        }
        catch (MemoryFault) { throw new CpuException(CpuExceptionKind.PageFault, a, 2); }
    }

    [HandlesCode(Code.Sgdt_m1632_16, Code.Sgdt_m1632, Code.Sgdt_m1664)]
    private static void Sgdt(Processor p, in Instruction i) => UmipTable(p, i, UserGdt.DummyGdtBase);

    [HandlesCode(Code.Sidt_m1632_16, Code.Sidt_m1632, Code.Sidt_m1664)]
    private static void Sidt(Processor p, in Instruction i) => UmipTable(p, i, UserGdt.DummyIdtBase);

    [HandlesCode(Code.Sldt_rm16, Code.Sldt_r32m16, Code.Sldt_r64m16)]
    private static void Sldt(Processor p, in Instruction i) => UmipStore(p, i, UserGdt.Ldt, 2);

    [HandlesCode(Code.Str_rm16, Code.Str_r32m16, Code.Str_r64m16)]
    private static void Str(Processor p, in Instruction i) => UmipStore(p, i, UserGdt.TaskRegister, 2);

    [HandlesCode(Code.Smsw_rm16, Code.Smsw_r32m16, Code.Smsw_r64m16)]
    private static void Smsw(Processor p, in Instruction i) => UmipStore(p, i, UserGdt.MachineStatusWord, 2);

    // FSGSBASE: Linux sets CR4.FSGSBASE (AT_HWCAP2 says so). A 32-bit form reads the low half
    // zero-extended and writes the base zero-extended; a non-canonical base is #GP(0).
    [Handles(Mnemonic.Rdfsbase, Mnemonic.Rdgsbase)]
    private static void ReadBase(Processor p, in Instruction i) =>
        Operands.SetReg(ref p.State, i.Op0Register, i.Mnemonic == Mnemonic.Rdfsbase ? p.State.FsBase : p.State.GsBase);

    [Handles(Mnemonic.Wrfsbase, Mnemonic.Wrgsbase)]
    private static void WriteBase(Processor p, in Instruction i)
    {
        ulong v = Operands.GetReg(ref p.State, i.Op0Register);
        CheckCanonical(v);
        if (i.Mnemonic == Mnemonic.Wrfsbase) p.State.FsBase = v;
        else p.State.GsBase = v;
    }
}
