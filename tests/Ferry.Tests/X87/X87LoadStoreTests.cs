using Ferry.Cpu;
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.X87;

public class X87LoadStoreTests
{
    private static readonly AssemblerRegisterST[] St = [st0, st1, st2, st3, st4, st5, st6, st7];

    /// <summary>Values that are often near integers of every width, for the integer and BCD stores.</summary>
    private static Float80 IntegerLike(X87Values v)
    {
        if (v.Rng.Next(4) == 0) return v.Any();
        int e = 0x3FFF + v.Rng.Next(-3, 66);
        ulong m = v.Mantissa();
        if (v.Bool()) m &= ~((1UL << v.Rng.Next(0, 64)) - 1);
        return new Float80(v.Bool(), e, m);
    }

    private static void Fill(X87Values v, Span<byte> mem)
    {
        for (int k = 0; k < 16; k++) mem[k] = (byte)v.Rng.Next(256);
    }

    [Theory]
    [InlineData("fld m32")]
    [InlineData("fld m64")]
    [InlineData("fld m80")]
    [InlineData("fild m16")]
    [InlineData("fild m32")]
    [InlineData("fild m64")]
    [InlineData("fbld")]
    [InlineData("fld st")]
    public void Loads(string form)
    {
        using var h = new X87Harness();
        var v = new X87Values(5000 + form.GetHashCode() % 1 + form.Length * 7 + form[^1]);
        for (int n = 0; n < 2000; n++)
        {
            var s = h.NewState(v.ControlWord());
            int k = v.Rng.Next(8);
            var vals = new Float80[v.Rng.Next(0, 8)];
            for (int j = 0; j < vals.Length; j++) vals[j] = v.Any();
            X87TestState.SetStack(ref s, v, vals);
            var mem = h.Memory;
            Fill(v, mem);
            switch (form)
            {
                case "fld m32": BitConverter.TryWriteBytes(mem, v.Single()); break;
                case "fld m64": BitConverter.TryWriteBytes(mem, v.Double()); break;
                case "fld m80": { var x = v.Any(); BitConverter.TryWriteBytes(mem, x.Mantissa); BitConverter.TryWriteBytes(mem[8..], x.SignExp); break; }
                case "fild m16": BitConverter.TryWriteBytes(mem, (short)v.Integer(16)); break;
                case "fild m32": BitConverter.TryWriteBytes(mem, (int)v.Integer(32)); break;
                case "fild m64": BitConverter.TryWriteBytes(mem, v.Integer(64)); break;
                case "fbld":
                    for (int j = 0; j < 9; j++) mem[j] = (byte)(v.Rng.Next(10) * 16 + v.Rng.Next(10));
                    mem[9] = (byte)(v.Bool() ? 0x80 : 0);
                    break;
            }
            var code = X87Harness.Assemble(a =>
            {
                switch (form)
                {
                    case "fld m32": a.fld(__dword_ptr[rbx]); break;
                    case "fld m64": a.fld(__qword_ptr[rbx]); break;
                    case "fld m80": a.fld(__tword_ptr[rbx]); break;
                    case "fild m16": a.fild(__word_ptr[rbx]); break;
                    case "fild m32": a.fild(__dword_ptr[rbx]); break;
                    case "fild m64": a.fild(__qword_ptr[rbx]); break;
                    case "fbld": a.fbld(__tword_ptr[rbx]); break;
                    default: a.fld(St[k]); break;
                }
            });
            h.Check(form, s, code);
        }
        h.AssertAllPassed();
    }

    [Fact]
    public void Constants()
    {
        using var h = new X87Harness();
        var v = new X87Values(5100);
        var ops = new Action<Assembler>[] { a => a.fld1(), a => a.fldz(), a => a.fldpi(), a => a.fldl2e(), a => a.fldl2t(), a => a.fldlg2(), a => a.fldln2() };
        string[] names = ["fld1", "fldz", "fldpi", "fldl2e", "fldl2t", "fldlg2", "fldln2"];
        for (int op = 0; op < ops.Length; op++)
        {
            var code = X87Harness.Assemble(ops[op]);
            for (int n = 0; n < 40; n++)
            {
                var s = h.NewState(v.ControlWord());
                var vals = new Float80[v.Rng.Next(0, 8)];
                for (int j = 0; j < vals.Length; j++) vals[j] = v.Any();
                X87TestState.SetStack(ref s, v, vals);
                h.Check(names[op], s, code);
            }
        }
        h.AssertAllPassed();
    }

    [Theory]
    [InlineData("fst m32")]
    [InlineData("fstp m32")]
    [InlineData("fst m64")]
    [InlineData("fstp m64")]
    [InlineData("fstp m80")]
    [InlineData("fst st")]
    [InlineData("fstp st")]
    // Aliases of FSTP ST(i): DF D0+i, DF D8+i and D9 D8+i (Iced's FSTPNCE).
    [InlineData("fstp DF D0")]
    [InlineData("fstp DF D8")]
    [InlineData("fstpnce D9 D8")]
    [InlineData("fist m16")]
    [InlineData("fist m32")]
    [InlineData("fistp m16")]
    [InlineData("fistp m32")]
    [InlineData("fistp m64")]
    [InlineData("fisttp m16")]
    [InlineData("fisttp m32")]
    [InlineData("fisttp m64")]
    [InlineData("fbstp")]
    public void Stores(string form)
    {
        using var h = new X87Harness();
        var v = new X87Values(5200 + form.Length * 7 + form[^1] + form[2]);
        bool integer = form.StartsWith("fi") || form.StartsWith("fb");
        for (int n = 0; n < 2000; n++)
        {
            var s = h.NewState(v.ControlWord());
            int k = v.Rng.Next(8);
            var vals = new Float80[v.Rng.Next(1, 8)];
            for (int j = 0; j < vals.Length; j++) vals[j] = v.Any();
            if (integer) vals[0] = IntegerLike(v);
            else if (v.Rng.Next(3) == 0)
            {
                // Near the float32/float64 range limits and subnormals.
                int lim = form.Contains("32") ? 127 : 1023;
                int e = 0x3FFF + (v.Bool() ? lim + v.Rng.Next(-2, 3) : -lim - v.Rng.Next(-2, 60));
                vals[0] = new Float80(v.Bool(), e, v.Mantissa());
            }
            X87TestState.SetStack(ref s, v, vals);
            Fill(v, h.Memory);
            var code = X87Harness.Assemble(a =>
            {
                switch (form)
                {
                    case "fst m32": a.fst(__dword_ptr[rbx]); break;
                    case "fstp m32": a.fstp(__dword_ptr[rbx]); break;
                    case "fst m64": a.fst(__qword_ptr[rbx]); break;
                    case "fstp m64": a.fstp(__qword_ptr[rbx]); break;
                    case "fstp m80": a.fstp(__tword_ptr[rbx]); break;
                    case "fst st": a.fst(St[k]); break;
                    case "fstp st": a.fstp(St[k]); break;
                    case "fstp DF D0": a.db(0xDF, (byte)(0xD0 + k)); break;
                    case "fstp DF D8": a.db(0xDF, (byte)(0xD8 + k)); break;
                    case "fstpnce D9 D8": a.db(0xD9, (byte)(0xD8 + k)); break;
                    case "fist m16": a.fist(__word_ptr[rbx]); break;
                    case "fist m32": a.fist(__dword_ptr[rbx]); break;
                    case "fistp m16": a.fistp(__word_ptr[rbx]); break;
                    case "fistp m32": a.fistp(__dword_ptr[rbx]); break;
                    case "fistp m64": a.fistp(__qword_ptr[rbx]); break;
                    case "fisttp m16": a.fisttp(__word_ptr[rbx]); break;
                    case "fisttp m32": a.fisttp(__dword_ptr[rbx]); break;
                    case "fisttp m64": a.fisttp(__qword_ptr[rbx]); break;
                    default: a.fbstp(__tword_ptr[rbx]); break;
                }
            });
            h.Check(form, s, code);
        }
        h.AssertAllPassed();
    }

    [Theory]
    [InlineData("fxch")]
    // Aliases of FXCH ST(i): DD C8+i and DF C8+i.
    [InlineData("fxch DD C8")]
    [InlineData("fxch DF C8")]
    [InlineData("fcmov")]
    [InlineData("ffree")]
    [InlineData("ffreep")]
    [InlineData("fincstp")]
    [InlineData("fdecstp")]
    public void StackOps(string form)
    {
        using var h = new X87Harness();
        var v = new X87Values(5300 + form.Length * 7 + form[^1]);
        var cmovs = new Action<Assembler, AssemblerRegisterST>[]
        {
            (a, r) => a.fcmovb(st0, r), (a, r) => a.fcmove(st0, r), (a, r) => a.fcmovbe(st0, r), (a, r) => a.fcmovu(st0, r),
            (a, r) => a.fcmovnb(st0, r), (a, r) => a.fcmovne(st0, r), (a, r) => a.fcmovnbe(st0, r), (a, r) => a.fcmovnu(st0, r),
        };
        for (int n = 0; n < 1000; n++)
        {
            var s = h.NewState(v.ControlWord());
            int k = v.Rng.Next(8);
            var vals = new Float80[v.Rng.Next(0, 9)];
            for (int j = 0; j < vals.Length; j++) vals[j] = v.Any();
            X87TestState.SetStack(ref s, v, vals);
            s.Rflags = 0x202 | (ulong)(v.Rng.Next(2) * 1 | v.Rng.Next(2) * 4 | v.Rng.Next(2) * 0x40);
            int c = v.Rng.Next(8);
            var code = X87Harness.Assemble(a =>
            {
                switch (form)
                {
                    case "fxch": a.fxch(st0, St[k]); break;
                    case "fxch DD C8": a.db(0xDD, (byte)(0xC8 + k)); break;
                    case "fxch DF C8": a.db(0xDF, (byte)(0xC8 + k)); break;
                    case "fcmov": cmovs[c](a, St[k]); break;
                    case "ffree": a.ffree(St[k]); break;
                    case "ffreep": a.db(0xDF, (byte)(0xC0 + k)); break;
                    case "fincstp": a.fincstp(); break;
                    default: a.fdecstp(); break;
                }
            });
            h.Check($"{form} {k} {c}", s, code);
        }
        h.AssertAllPassed();
    }
}
