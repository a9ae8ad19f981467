using System.Reflection;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>Maps each Iced <see cref="Code"/> to the function pointer of its semantics, built once
/// from the [Handles]/[HandlesCode] attributes of the instruction-family classes.</summary>
public static unsafe class HandlerTable
{
    // The classes whose [Handles]/[HandlesCode] methods are the semantics. Listed, not found with
    // Assembly.GetTypes(), which loads every type of Ferry (and the assemblies of their base types, such as
    // the regular-expression library) and cost milliseconds at every start. HandlerTableTests checks that
    // the list names every class with handlers: a new family fails that test until it is added here.
    internal static readonly Type[] Families =
    [
        typeof(Aes), typeof(Arithmetic), typeof(Atomics), typeof(AvxFloat), typeof(AvxGather),
        typeof(AvxInteger), typeof(AvxMasked), typeof(AvxMove), typeof(AvxRound), typeof(AvxShift), typeof(AvxShuffle),
        typeof(BitManipulation), typeof(BitOps), typeof(CarrylessMultiply), typeof(ControlFlow),
        typeof(Crc32), typeof(DataMove), typeof(F16c), typeof(FlagOps), typeof(Fma), typeof(Logic), typeof(MulDiv), typeof(Segments),
        typeof(Sha), typeof(Shifts), typeof(Sse3), typeof(Sse41), typeof(Sse41Float), typeof(Sse42Strings),
        typeof(SseConvert), typeof(SseInteger), typeof(SseMove), typeof(SsePackedFloat), typeof(SseScalarFloat),
        typeof(SseShift), typeof(SseShuffle), typeof(SseState), typeof(Ssse3), typeof(Stack), typeof(StringOps),
        typeof(SystemOps), typeof(X87Arithmetic), typeof(X87Compare), typeof(X87Control), typeof(X87LoadStore),
        typeof(X87Transcendental), typeof(Xsave),
    ];

    // By code, the [HandlesCode] handlers; by mnemonic, the [Handles] ones. Indexes past the ends have none.
    private static readonly nint[] ExplicitByCode, ByMnemonic;

    static HandlerTable() => (ExplicitByCode, ByMnemonic) = FromAttributes();

    /// <summary>The handler for bytes that do not decode, or forms Ferry does not implement.</summary>
    public static nint Undefined { get; } = (nint)(delegate*<Processor, in Instruction, void>)&RaiseUndefined;

    /// <summary>The handler of <paramref name="code"/>, or <see cref="Undefined"/>.</summary>
    public static nint Get(Code code) => Full.ByCode[(int)code] is var h && h != 0 ? h : Undefined;

    /// <summary>The handler of <paramref name="code"/>, which a decoder in 64-bit mode produced, or
    /// <see cref="Undefined"/>: the same as <see cref="Get"/> for every such code, without building
    /// <see cref="Get"/>'s table, which asks Iced for the op-code info of every code (tens of milliseconds
    /// at start-up). A decoded code exists in 64-bit mode, so only the encoding remains to be checked.</summary>
    public static nint ForDecoded(Code code)
    {
        if ((uint)code < (uint)ExplicitByCode.Length && ExplicitByCode[(int)code] is var e && e != 0) return e;
        var m = (uint)code.Mnemonic();
        if (m < (uint)ByMnemonic.Length && ByMnemonic[m] is var h && h != 0 && code.Encoding() is EncodingKind.Legacy or EncodingKind.VEX)
            return h;
        return Undefined;
    }

    /// <summary>The handler the interpreter runs for the decoded <paramref name="i"/>: a handler specialized for
    /// its operand form where <see cref="OperandForms"/> has one, else <see cref="ForDecoded"/>'s.</summary>
    public static nint ForInstruction(in Instruction i) => OperandForms.Select(i) is var f && f != 0 ? f : ForDecoded(i.Code);

    /// <summary>True when Ferry has semantics for <paramref name="code"/>.</summary>
    public static bool IsImplemented(Code code) => Full.ByCode[(int)code] != 0;

    /// <summary>All implemented codes.</summary>
    public static IEnumerable<Code> Implemented()
    {
        var byCode = Full.ByCode;
        for (int c = 0; c < byCode.Length; c++) if (byCode[c] != 0) yield return (Code)c;
    }

    private static void RaiseUndefined(Processor p, in Instruction i) => throw new CpuException(CpuExceptionKind.InvalidOpcode);

    // One handler method and what it claims. A class, so that the list of them runs on the framework's
    // precompiled code (a List of a struct would be JIT-compiled at every start).
    private sealed record Claim(nint Handler, HandlesAttribute[] Mnemonics, HandlesCodeAttribute[] Codes);

    private static (nint[] ByCode, nint[] ByMnemonic) FromAttributes()
    {
        var claims = new List<Claim>();
        int codeEnd = 0, mnemonicEnd = 0;
        foreach (var type in Families)
        {
            foreach (var m in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                bool byMnemonic = m.IsDefined(typeof(HandlesAttribute), false), byCode = m.IsDefined(typeof(HandlesCodeAttribute), false);
                if (!byMnemonic && !byCode) continue;
                var claim = new Claim(m.MethodHandle.GetFunctionPointer(),
                    byMnemonic ? (HandlesAttribute[])m.GetCustomAttributes(typeof(HandlesAttribute), false) : [],
                    byCode ? (HandlesCodeAttribute[])m.GetCustomAttributes(typeof(HandlesCodeAttribute), false) : []);
                foreach (var a in claim.Mnemonics)
                    foreach (var x in a.Mnemonics) mnemonicEnd = Math.Max(mnemonicEnd, (int)x + 1);
                foreach (var a in claim.Codes)
                    foreach (var c in a.Codes) codeEnd = Math.Max(codeEnd, (int)c + 1);
                claims.Add(claim);
            }
        }
        var byCodeTable = new nint[codeEnd];
        var byMnemonicTable = new nint[mnemonicEnd];
        foreach (var claim in claims)
        {
            foreach (var a in claim.Mnemonics)
                foreach (var x in a.Mnemonics)
                {
                    if (byMnemonicTable[(int)x] != 0) throw new InvalidOperationException($"two handlers for {x}");
                    byMnemonicTable[(int)x] = claim.Handler;
                }
            foreach (var a in claim.Codes)
                foreach (var c in a.Codes)
                {
                    if (byCodeTable[(int)c] != 0) throw new InvalidOperationException($"two handlers for {c}");
                    byCodeTable[(int)c] = claim.Handler;
                }
        }
        return (byCodeTable, byMnemonicTable);
    }

    // Every code's handler, with the 64-bit-mode check that needs Iced's op-code info: built on first use,
    // which the interpreter's decode path never makes.
    private static class Full
    {
        public static readonly nint[] ByCode = Build();

        private static nint[] Build()
        {
            var codeCount = Enum.GetValues<Code>().Length;
            var byCode = new nint[codeCount];
            ExplicitByCode.CopyTo(byCode, 0);
            for (int c = 1; c < codeCount; c++)
            {
                if (byCode[c] != 0) continue;
                var code = (Code)c;
                var m = (int)code.Mnemonic();
                if (m < ByMnemonic.Length && ByMnemonic[m] != 0 && IsLongModeGeneralForm(code)) byCode[c] = ByMnemonic[m];
            }
            return byCode;
        }
    }

    // A mnemonic handler covers the legacy and VEX encodings that exist in 64-bit mode (VEX forms have
    // their own mnemonics: VADDPS, ANDN...). EVEX, XOP and MVEX forms, and 16/32-bit-only forms, need an
    // explicit [HandlesCode] to be claimed.
    private static bool IsLongModeGeneralForm(Code code)
    {
        var enc = code.Encoding();
        if (enc != EncodingKind.Legacy && enc != EncodingKind.VEX) return false;
        return code.ToOpCode().Mode64;
    }
}
