using Ferry.Cpu;
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.X87;

public class X87CompareTests
{
    private static readonly AssemblerRegisterST[] St = [st0, st1, st2, st3, st4, st5, st6, st7];

    [Theory]
    [InlineData("fcom")]
    [InlineData("fcomp")]
    [InlineData("fcompp")]
    [InlineData("fucom")]
    [InlineData("fucomp")]
    [InlineData("fucompp")]
    [InlineData("fcomi")]
    [InlineData("fcomip")]
    [InlineData("fucomi")]
    [InlineData("fucomip")]
    [InlineData("fcom m32")]
    [InlineData("fcomp m64")]
    [InlineData("ficom m16")]
    [InlineData("ficomp m32")]
    [InlineData("fcomp m32")]
    [InlineData("ficom m32")]
    [InlineData("ficomp m16")]
    // Aliases the decoder accepts: DC D0+i (FCOM), DC D8+i and DE D0+i (FCOMP).
    [InlineData("fcom DC D0")]
    [InlineData("fcomp DC D8")]
    [InlineData("fcomp DE D0")]
    [InlineData("ftst")]
    [InlineData("fxam")]
    public void Compares(string form)
    {
        using var h = new X87Harness();
        var v = new X87Values(6000 + form.Length * 13 + form[^1] + form[1]);
        for (int n = 0; n < 1500; n++)
        {
            var s = h.NewState(v.ControlWord());
            int k = v.Rng.Next(8);
            if (form.EndsWith("pp")) k = 1;
            var vals = new Float80[Math.Max(k + 1, v.Rng.Next(1, 8))];
            for (int j = 0; j < vals.Length; j++) vals[j] = v.Any();
            vals[k] = v.Related(vals[0]);
            X87TestState.SetStack(ref s, v, vals);
            s.Rflags = 0x202 | (ulong)v.Rng.Next(0x100) & 0xD5;
            var mem = h.Memory;
            int ival = (int)v.Integer(32);
            if (v.Rng.Next(3) == 0 && vals[0].Exponent is > 0x3FFF and < 0x3FFF + 31)
                ival = (int)Math.Clamp((double)(vals[0].Mantissa >> (63 - (vals[0].Exponent - 0x3FFF))) * (vals[0].Sign ? -1 : 1), int.MinValue, int.MaxValue);
            switch (form)
            {
                case "fcom m32": BitConverter.TryWriteBytes(mem, v.Single()); break;
                case "fcomp m64": BitConverter.TryWriteBytes(mem, v.Double()); break;
                case "ficom m16": BitConverter.TryWriteBytes(mem, (short)ival); break;
                case "ficomp m32": BitConverter.TryWriteBytes(mem, ival); break;
                case "fcomp m32": BitConverter.TryWriteBytes(mem, v.Single()); break;
                case "ficom m32": BitConverter.TryWriteBytes(mem, ival); break;
                case "ficomp m16": BitConverter.TryWriteBytes(mem, (short)ival); break;
            }
            var code = X87Harness.Assemble(a =>
            {
                switch (form)
                {
                    case "fcom": a.fcom(st0, St[k]); break;
                    case "fcomp": a.fcomp(st0, St[k]); break;
                    case "fcompp": a.fcompp(); break;
                    case "fucom": a.fucom(st0, St[k]); break;
                    case "fucomp": a.fucomp(st0, St[k]); break;
                    case "fucompp": a.fucompp(); break;
                    case "fcomi": a.fcomi(st0, St[k]); break;
                    case "fcomip": a.fcomip(st0, St[k]); break;
                    case "fucomi": a.fucomi(st0, St[k]); break;
                    case "fucomip": a.fucomip(st0, St[k]); break;
                    case "fcom m32": a.fcom(__dword_ptr[rbx]); break;
                    case "fcomp m64": a.fcomp(__qword_ptr[rbx]); break;
                    case "ficom m16": a.ficom(__word_ptr[rbx]); break;
                    case "ficomp m32": a.ficomp(__dword_ptr[rbx]); break;
                    case "fcomp m32": a.fcomp(__dword_ptr[rbx]); break;
                    case "ficom m32": a.ficom(__dword_ptr[rbx]); break;
                    case "ficomp m16": a.ficomp(__word_ptr[rbx]); break;
                    case "fcom DC D0": a.db(0xDC, (byte)(0xD0 + k)); break;
                    case "fcomp DC D8": a.db(0xDC, (byte)(0xD8 + k)); break;
                    case "fcomp DE D0": a.db(0xDE, (byte)(0xD0 + k)); break;
                    case "ftst": a.ftst(); break;
                    default: a.fxam(); break;
                }
            });
            h.Check($"{form} {k}", s, code);
        }
        h.AssertAllPassed();
    }
}
