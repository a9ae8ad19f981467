using System.Reflection;
using System.Reflection.Emit;
using Ferry.Cpu;
using Ferry.Interpreter;
using Iced.Intel;

namespace Ferry.Jit;

// BMI1 and BMI2 (ANDN, BEXTR, BLSI, BLSMSK, BLSR, BZHI, MULX, PDEP, PEXT, RORX, SHLX, SHRX, SARX), which glibc's
// string and memory routines, python3's and perl's hot loops and sort ran through their interpreter handlers
// (FERRY_JIT_FALLBACKS). The semantics are BitManipulation's own functions, called from the IL (RyuJIT inlines
// them), so both tiers run one definition; this file only moves operands in and results out. Flags follow the
// other integer forms: computed only when live, and since these instructions leave AF and PF (BEXTR SF too) as
// they were, a pending lazy record is resolved before they merge theirs.
internal sealed partial class BlockTranslator
{
    private static MethodInfo BmiHelper(string name) =>
        typeof(BitManipulation).GetMethod(name, BindingFlags.Static | BindingFlags.NonPublic) ?? throw new MissingMethodException(name);

    private static readonly MethodInfo AndnValue = BmiHelper(nameof(BitManipulation.AndnValue));
    private static readonly MethodInfo AndnFlags = BmiHelper(nameof(BitManipulation.AndnFlags));
    private static readonly MethodInfo BextrValue = BmiHelper(nameof(BitManipulation.BextrValue));
    private static readonly MethodInfo BextrFlags = BmiHelper(nameof(BitManipulation.BextrFlags));
    private static readonly MethodInfo BlsiValue = BmiHelper(nameof(BitManipulation.BlsiValue));
    private static readonly MethodInfo BlsiFlags = BmiHelper(nameof(BitManipulation.BlsiFlags));
    private static readonly MethodInfo BlsmskValue = BmiHelper(nameof(BitManipulation.BlsmskValue));
    private static readonly MethodInfo BlsmskFlags = BmiHelper(nameof(BitManipulation.BlsmskFlags));
    private static readonly MethodInfo BlsrValue = BmiHelper(nameof(BitManipulation.BlsrValue));
    private static readonly MethodInfo BlsrFlags = BmiHelper(nameof(BitManipulation.BlsrFlags));
    private static readonly MethodInfo BzhiValue = BmiHelper(nameof(BitManipulation.BzhiValue));
    private static readonly MethodInfo BzhiFlags = BmiHelper(nameof(BitManipulation.BzhiFlags));
    private static readonly MethodInfo MulxValue = BmiHelper(nameof(BitManipulation.MulxValue));
    private static readonly MethodInfo PdepValue = BmiHelper(nameof(BitManipulation.PdepValue));
    private static readonly MethodInfo PextValue = BmiHelper(nameof(BitManipulation.PextValue));
    private static readonly MethodInfo RorxValue = BmiHelper(nameof(BitManipulation.RorxValue));
    private static readonly MethodInfo ShlxValue = BmiHelper(nameof(BitManipulation.ShlxValue));
    private static readonly MethodInfo ShrxValue = BmiHelper(nameof(BitManipulation.ShrxValue));
    private static readonly MethodInfo SarxValue = BmiHelper(nameof(BitManipulation.SarxValue));

    /// <summary>Whether the BMI forms are inline (null for other instructions): the VEX encodings with register
    /// destinations and a register or memory source where the encoding has r/m (AMD's TBM BEXTR with an
    /// immediate, XOP-encoded, stays with the interpreter).</summary>
    private static bool? CanInlineBmi(in Instruction i)
    {
        bool vex = i.Encoding == EncodingKind.VEX;
        switch (i.Mnemonic)
        {
            case Mnemonic.Andn or Mnemonic.Mulx or Mnemonic.Pdep or Mnemonic.Pext:
                return vex && Gpr(i, 0) && Gpr(i, 1) && RegOrMem(i, 2);
            case Mnemonic.Bextr or Mnemonic.Bzhi or Mnemonic.Shlx or Mnemonic.Shrx or Mnemonic.Sarx:
                return vex && Gpr(i, 0) && RegOrMem(i, 1) && Gpr(i, 2);
            case Mnemonic.Blsi or Mnemonic.Blsmsk or Mnemonic.Blsr:
                return vex && Gpr(i, 0) && RegOrMem(i, 1);
            case Mnemonic.Rorx:
                return vex && Gpr(i, 0) && RegOrMem(i, 1) && Imm(i, 2);
            default:
                return null;
        }
    }

    /// <summary>The status flags these instructions certainly replace, where Iced's table counts the undefined
    /// ones (which BitManipulation keeps) as modified: the flags of an earlier producer must stay exact for them.</summary>
    private static ulong? KillsBmi(in Instruction i) => i.Mnemonic switch
    {
        Mnemonic.Andn or Mnemonic.Blsi or Mnemonic.Blsmsk or Mnemonic.Blsr or Mnemonic.Bzhi => BitManipulation.ResultKills,
        Mnemonic.Bextr => BitManipulation.BextrKills,
        _ => null,
    };

    /// <summary>MULX multiplies by RDX (EDX), which is not among its operands.</summary>
    private static bool ReadsRdx(in Instruction i) => i.Mnemonic == Mnemonic.Mulx;

    private bool EmitBmi(int n, bool flagsLive)
    {
        ref Instruction i = ref _ins[n];
        if (CanInlineBmi(i) is not true) return false;
        var il = _il;
        int size = Operands.Size(i, 0);
        // Every operand goes to a local first: a memory read may branch to the shared slow path, which needs an
        // empty evaluation stack (RyuJIT rejects the method otherwise, and the block would stay interpreted).
        switch (i.Mnemonic)
        {
            case Mnemonic.Mulx:
                LoadReg(size == 8 ? Register.RDX : Register.EDX); St(_ta);
                Read(i, 2, size); St(_tb);
                Ld(_ta); Ld(_tb); il.Emit(OpCodes.Ldc_I4, size); il.Emit(OpCodes.Ldloca, _tc);
                il.Emit(OpCodes.Call, MulxValue); St(_tr);
                // The low half first, so equal destinations keep the high half (as in the interpreter).
                StoreReg(i.Op1Register, () => Ld(_tc));
                StoreReg(i.Op0Register, () => Ld(_tr));
                return true;
            case Mnemonic.Rorx:
                Read(i, 1, size); St(_ta);
                Ld(_ta); il.Emit(OpCodes.Ldc_I4, (int)i.Immediate8); il.Emit(OpCodes.Ldc_I4, size);
                il.Emit(OpCodes.Call, RorxValue); St(_tr);
                StoreReg(i.Op0Register, () => Ld(_tr));
                return true;
            case Mnemonic.Blsi or Mnemonic.Blsmsk or Mnemonic.Blsr:
            {
                Read(i, 1, size); St(_ta);
                Ld(_ta);
                if (i.Mnemonic == Mnemonic.Blsmsk) il.Emit(OpCodes.Ldc_I4, size);
                il.Emit(OpCodes.Call, i.Mnemonic switch { Mnemonic.Blsi => BlsiValue, Mnemonic.Blsmsk => BlsmskValue, _ => BlsrValue });
                St(_tr);
                StoreReg(i.Op0Register, () => Ld(_tr));
                if (flagsLive)
                    MergeBmiFlags(i.Mnemonic switch { Mnemonic.Blsi => BlsiFlags, Mnemonic.Blsmsk => BlsmskFlags, _ => BlsrFlags },
                        () => { Ld(_ta); Ld(_tr); il.Emit(OpCodes.Ldc_I4, size); });
                return true;
            }
        }
        // The two-source forms: op1 and op2 into _ta and _tb.
        Read(i, 1, size); St(_ta);
        Read(i, 2, size); St(_tb);
        Ld(_ta); Ld(_tb);
        switch (i.Mnemonic)
        {
            case Mnemonic.Andn: il.Emit(OpCodes.Call, AndnValue); break;
            case Mnemonic.Pdep: il.Emit(OpCodes.Call, PdepValue); break;
            case Mnemonic.Pext: il.Emit(OpCodes.Call, PextValue); break;
            default:
                il.Emit(OpCodes.Ldc_I4, size);
                il.Emit(OpCodes.Call, i.Mnemonic switch
                {
                    Mnemonic.Bextr => BextrValue,
                    Mnemonic.Bzhi => BzhiValue,
                    Mnemonic.Shlx => ShlxValue,
                    Mnemonic.Shrx => ShrxValue,
                    _ => SarxValue,
                });
                break;
        }
        St(_tr);
        StoreReg(i.Op0Register, () => Ld(_tr));
        if (!flagsLive) return true;
        switch (i.Mnemonic)
        {
            case Mnemonic.Andn: MergeBmiFlags(AndnFlags, () => { Ld(_tr); il.Emit(OpCodes.Ldc_I4, size); }); break;
            case Mnemonic.Bextr: MergeBmiFlags(BextrFlags, () => Ld(_tr)); break;
            case Mnemonic.Bzhi: MergeBmiFlags(BzhiFlags, () => { Ld(_tb); Ld(_tr); il.Emit(OpCodes.Ldc_I4, size); }); break;
        }
        return true;
    }

    /// <summary>fl = <paramref name="helper"/>(fl, what <paramref name="args"/> pushes): the helper keeps the flags
    /// the instruction leaves alone, so they must be exact first.</summary>
    private void MergeBmiFlags(MethodInfo helper, Action args)
    {
        EnsureFlags();
        Ld(_fl);
        args();
        _il.Emit(OpCodes.Call, helper);
        St(_fl);
    }
}
