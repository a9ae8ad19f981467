using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>x87 comparisons: FCOM/FUCOM and FICOM (condition codes), FCOMI/FUCOMI (EFLAGS), FTST, FXAM.</summary>
public static class X87Compare
{
    [Handles(Mnemonic.Fcom, Mnemonic.Ficom)]
    public static void Fcom(Processor p, in Instruction i) => Compare(p, i, false, 0);

    [Handles(Mnemonic.Fcomp, Mnemonic.Ficomp)]
    public static void Fcomp(Processor p, in Instruction i) => Compare(p, i, false, 1);

    [Handles(Mnemonic.Fcompp)]
    public static void Fcompp(Processor p, in Instruction i) => Compare(p, i, false, 2);

    [Handles(Mnemonic.Fucom)]
    public static void Fucom(Processor p, in Instruction i) => Compare(p, i, true, 0);

    [Handles(Mnemonic.Fucomp)]
    public static void Fucomp(Processor p, in Instruction i) => Compare(p, i, true, 1);

    [Handles(Mnemonic.Fucompp)]
    public static void Fucompp(Processor p, in Instruction i) => Compare(p, i, true, 2);

    /// <summary>C3, C2, C0 for each ordering: greater 000, less 001, equal 100, unordered 111.</summary>
    private static ushort ConditionCodes(Ordering o) => o switch
    {
        Ordering.Greater => 0,
        Ordering.Less => X87Status.C0,
        Ordering.Equal => X87Status.C3,
        _ => X87Status.C0 | X87Status.C2 | X87Status.C3,
    };

    private static void Compare(Processor p, in Instruction i, bool quiet, int pops)
    {
        X87.Begin(p, i);
        var o = Evaluate(p, i, quiet, out ushort flags);
        ref var s = ref p.State;
        if (!X87.Report(ref s, flags)) return;
        s.Fsw = (ushort)((s.Fsw & ~(X87Status.C0 | X87Status.C2 | X87Status.C3)) | ConditionCodes(o));
        for (int k = 0; k < pops; k++) X87.Pop(ref s);
    }

    /// <summary>Compares ST(0) with the instruction's source: a memory operand, ST(i), or ST(1) when none is named.</summary>
    private static Ordering Evaluate(Processor p, in Instruction i, bool quiet, out ushort flags)
    {
        flags = 0;
        ushort memFlags = 0;
        int src = 1;
        Float80 b = default;
        bool memory = i.OpCount > 0 && Operands.Kind(i, i.OpCount - 1) == OpKind.Memory;
        if (memory) b = X87.ReadMemory(p, i, ref memFlags);
        else if (i.OpCount > 0) src = X87.StIndex(i, i.OpCount - 1);
        ref var s = ref p.State;
        if (X87.IsEmpty(ref s, 0) || (!memory && X87.IsEmpty(ref s, src)))
        {
            flags = X87.Underflow;
            return Ordering.Unordered;
        }
        var a = X87.St(ref s, 0);
        if (!memory) b = X87.St(ref s, src);
        var o = Float80Math.Compare(a, b, quiet, ref flags);
        // A denormal float32/float64 operand counts only where an extended denormal would.
        if (!a.IsNaN && !a.IsUnsupported && !b.IsNaN) flags |= memFlags;
        return o;
    }

    [Handles(Mnemonic.Fcomi)]
    public static void Fcomi(Processor p, in Instruction i) => CompareToFlags(p, i, false, false);

    [Handles(Mnemonic.Fcomip)]
    public static void Fcomip(Processor p, in Instruction i) => CompareToFlags(p, i, false, true);

    [Handles(Mnemonic.Fucomi)]
    public static void Fucomi(Processor p, in Instruction i) => CompareToFlags(p, i, true, false);

    [Handles(Mnemonic.Fucomip)]
    public static void Fucomip(Processor p, in Instruction i) => CompareToFlags(p, i, true, true);

    /// <summary>ZF, PF, CF as an unsigned compare would set them (unordered sets all three); OF, SF and AF are cleared.</summary>
    private static void CompareToFlags(Processor p, in Instruction i, bool quiet, bool pop)
    {
        X87.Begin(p, i);
        var o = Evaluate(p, i, quiet, out ushort flags);
        ref var s = ref p.State;
        // Unlike FCOM, C1 keeps its value unless the stack underflows.
        ushort c1 = (ushort)(s.Fsw & X87Status.C1);
        if (!X87.Report(ref s, flags)) return;
        if ((flags & X87Status.SF) == 0) s.Fsw |= c1;
        ulong f = o switch
        {
            Ordering.Greater => 0,
            Ordering.Less => Flags.CF,
            Ordering.Equal => Flags.ZF,
            _ => Flags.ZF | Flags.PF | Flags.CF,
        };
        s.Rflags = Flags.Merge(s.Rflags, f, Flags.Status);
        if (pop) X87.Pop(ref s);
    }

    [Handles(Mnemonic.Ftst)]
    public static void Ftst(Processor p, in Instruction i)
    {
        X87.Begin(p, i);
        ref var s = ref p.State;
        ushort flags = 0;
        var o = X87.IsEmpty(ref s, 0)
            ? Ordering.Unordered
            : Float80Math.Compare(X87.St(ref s, 0), Float80.Zero(false), false, ref flags);
        if (X87.IsEmpty(ref s, 0)) flags = X87.Underflow;
        if (!X87.Report(ref s, flags)) return;
        s.Fsw = (ushort)((s.Fsw & ~(X87Status.C0 | X87Status.C2 | X87Status.C3)) | ConditionCodes(o));
    }

    /// <summary>FXAM classifies ST(0) into C3, C2, C0 and copies its sign to C1; it never raises an exception.</summary>
    [Handles(Mnemonic.Fxam)]
    public static void Fxam(Processor p, in Instruction i)
    {
        X87.Begin(p, i);
        ref var s = ref p.State;
        var x = X87.St(ref s, 0);
        ushort c;
        if (X87.IsEmpty(ref s, 0)) c = X87Status.C3 | X87Status.C0;
        else
        {
            c = x.Class switch
            {
                Float80Class.Unsupported => 0,
                Float80Class.QNaN or Float80Class.SNaN => X87Status.C0,
                Float80Class.Normal => X87Status.C2,
                Float80Class.Infinity => X87Status.C2 | X87Status.C0,
                Float80Class.Zero => X87Status.C3,
                _ => X87Status.C3 | X87Status.C2,
            };
        }
        if (x.Sign) c |= X87Status.C1;
        s.Fsw = (ushort)((s.Fsw & ~X87Status.ConditionCodes) | c);
    }
}
