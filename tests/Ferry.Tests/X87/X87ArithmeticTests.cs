using Xunit;
using Ferry.Cpu;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.X87;

public class X87ArithmeticTests
{
    private static readonly AssemblerRegisterST[] St = [st0, st1, st2, st3, st4, st5, st6, st7];

    public static TheoryData<string> BinaryOps => new() { "fadd", "fsub", "fsubr", "fmul", "fdiv", "fdivr" };

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void RegisterForms(string op)
    {
        using var h = new X87Harness();
        var v = new X87Values(op.GetHashCode() & 0 | 1000 + op.Length * 31 + op[^1]);
        var m = typeof(Assembler).GetMethod(op, [typeof(AssemblerRegisterST), typeof(AssemblerRegisterST)])!;
        var mp = typeof(Assembler).GetMethod(op + "p", [typeof(AssemblerRegisterST), typeof(AssemblerRegisterST)])!;
        for (int n = 0; n < 3000; n++)
        {
            var a = v.Any();
            var b = v.Related(a);
            int k = v.Rng.Next(1, 8);
            var vals = new Float80[k + 1];
            for (int j = 0; j < vals.Length; j++) vals[j] = v.Any();
            vals[0] = a;
            vals[k] = b;
            var s = h.NewState(v.ControlWord());
            X87TestState.SetStack(ref s, v, vals);
            int form = v.Rng.Next(3);
            var code = X87Harness.Assemble(asm =>
            {
                if (form == 0) m.Invoke(asm, [st0, St[k]]);
                else if (form == 1) m.Invoke(asm, [St[k], st0]);
                else mp.Invoke(asm, [St[k], st0]);
            });
            h.Check($"{op}{(form == 2 ? "p" : "")} form{form} k={k}", s, code);
        }
        h.AssertAllPassed();
    }

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void MemoryForms(string op)
    {
        using var h = new X87Harness();
        var v = new X87Values(2000 + op.Length * 31 + op[^1]);
        var iop = "fi" + op[1..];
        for (int n = 0; n < 3000; n++)
        {
            var s = h.NewState(v.ControlWord());
            var a = v.Any();
            X87TestState.SetStack(ref s, v, a);
            int form = v.Rng.Next(4);
            var mem = h.Memory;
            string name;
            switch (form)
            {
                case 0:
                    BitConverter.TryWriteBytes(mem, v.Single());
                    name = op;
                    break;
                case 1:
                    BitConverter.TryWriteBytes(mem, v.Double());
                    name = op;
                    break;
                case 2:
                    BitConverter.TryWriteBytes(mem, (short)v.Integer(16));
                    name = iop;
                    break;
                default:
                    BitConverter.TryWriteBytes(mem, (int)v.Integer(32));
                    name = iop;
                    break;
            }
            var operand = form switch { 0 => __dword_ptr[rbx], 1 => __qword_ptr[rbx], 2 => __word_ptr[rbx], _ => __dword_ptr[rbx] };
            var code = X87Harness.Assemble(asm => typeof(Assembler).GetMethod(name, [typeof(AssemblerMemoryOperand)])!.Invoke(asm, [operand]));
            h.Check($"{name} form{form} mem={BitConverter.ToUInt64(mem):X16}", s, code);
        }
        h.AssertAllPassed();
    }

    public static TheoryData<string> UnaryOps => new() { "fsqrt", "frndint", "fabs", "fchs" };

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void Unary(string op)
    {
        using var h = new X87Harness();
        var v = new X87Values(3000 + op.Length * 31 + op[^1]);
        var m = typeof(Assembler).GetMethod(op, Type.EmptyTypes)!;
        var code = X87Harness.Assemble(asm => m.Invoke(asm, null));
        for (int n = 0; n < 3000; n++)
        {
            var s = h.NewState(v.ControlWord());
            var a = v.Any();
            if (op == "frndint" && v.Bool()) a = new Float80(a.Sign, 0x3FFF + v.Rng.Next(-3, 66), a.Mantissa | Float80.IntegerBit);
            X87TestState.SetStack(ref s, v, a);
            h.Check(op, s, code);
        }
        h.AssertAllPassed();
    }

    /// <summary>Results that land near the bottom or top of the exponent range, under every
    /// rounding and precision control, so underflow (tininess), denormal rounding and overflow show.</summary>
    [Theory]
    [InlineData("fadd")]
    [InlineData("fsub")]
    [InlineData("fmul")]
    [InlineData("fdiv")]
    public void ExtremeResults(string op)
    {
        using var h = new X87Harness();
        var v = new X87Values(4000 + op.Length * 31 + op[^1]);
        var m = typeof(Assembler).GetMethod(op, [typeof(AssemblerRegisterST), typeof(AssemblerRegisterST)])!;
        var code = X87Harness.Assemble(asm => m.Invoke(asm, [st0, st1]));
        for (int n = 0; n < 3000; n++)
        {
            bool high = v.Rng.Next(4) == 0;
            int target = high ? 0x7FFE + v.Rng.Next(-3, 3) : v.Rng.Next(-66, 4);
            Float80 a, b;
            if (op is "fadd" or "fsub")
            {
                int ea = Math.Clamp(target + v.Rng.Next(0, 3), 0, 0x7FFE);
                a = new Float80(v.Bool(), ea, ea == 0 ? v.U64() >> 1 : v.Mantissa());
                b = v.Bool() ? v.Related(a) : new Float80(v.Bool(), Math.Clamp(ea - v.Rng.Next(0, 66), 0, 0x7FFE), v.Mantissa());
                if (b.Exponent == 0) b.Mantissa &= ~Float80.IntegerBit;
            }
            else
            {
                int ea = 0x3FFF + v.Rng.Next(-8000, 8000);
                int eb = op == "fmul" ? target - ea + 0x3FFF : ea - target + 0x3FFF;
                if (eb < 1 || eb > 0x7FFE) { eb = Math.Clamp(eb, 1, 0x7FFE); ea = op == "fmul" ? target - eb + 0x3FFF : target + eb - 0x3FFF; }
                a = new Float80(v.Bool(), Math.Clamp(ea, 1, 0x7FFE), v.Mantissa());
                b = new Float80(v.Bool(), eb, v.Mantissa());
            }
            var s = h.NewState(v.ControlWord());
            X87TestState.SetStack(ref s, v, a, b);
            h.Check(op, s, code);
        }
        h.AssertAllPassed();
    }

    /// <summary>Exact results just below the smallest normal that round up to it: tiny before
    /// rounding but not after, which tells the two tininess rules apart.</summary>
    [Fact]
    public void TininessRule()
    {
        using var h = new X87Harness();
        var v = new X87Values(4242);
        var code = X87Harness.Assemble(asm => asm.fmul(st0, st1));
        foreach (int pc in new[] { 0, 2, 3 })
            for (int rc = 0; rc < 4; rc++)
                for (int low = 0; low < 40; low++)
                {
                    ulong m = ulong.MaxValue << (low < 20 ? 0 : v.Rng.Next(0, 40));
                    var s = h.NewState((ushort)(0x7F | (pc << 8) | (rc << 10)));
                    var a = new Float80(v.Bool(), 0x3FFF - 20 - low, Float80.IntegerBit | (low < 10 ? 0 : v.U64() >> 50));
                    var b = new Float80(v.Bool(), 20 + low - (low % 3), m);
                    X87TestState.SetStack(ref s, v, a, b);
                    h.Check($"fmul pc={pc} rc={rc}", s, code);
                }
        h.AssertAllPassed();
    }

    [Theory]
    [InlineData("fscale")]
    [InlineData("fxtract")]
    [InlineData("fprem")]
    [InlineData("fprem1")]
    public void Misc(string op)
    {
        using var h = new X87Harness();
        var v = new X87Values(4500 + op.Length * 31 + op[^1]);
        var m = typeof(Assembler).GetMethod(op, Type.EmptyTypes)!;
        var code = X87Harness.Assemble(asm => m.Invoke(asm, null));
        for (int n = 0; n < 3000; n++)
        {
            var s = h.NewState(v.ControlWord());
            var a = v.Any();
            var b = v.Any();
            if (op == "fscale" && v.Rng.Next(4) != 0)
                b = new Float80(v.Bool(), 0x3FFF + v.Rng.Next(-2, 17), v.Mantissa());
            if (op.StartsWith("fprem") && v.Rng.Next(4) != 0 && a.Exponent is > 0 and < 0x7FFF)
                b = new Float80(v.Bool(), Math.Clamp(a.Exponent - v.Rng.Next(-3, 100), 1, 0x7FFE), v.Mantissa());
            var vals = new Float80[v.Rng.Next(2, 9)];
            for (int j = 2; j < vals.Length; j++) vals[j] = v.Any();
            vals[0] = a;
            vals[1] = b;
            X87TestState.SetStack(ref s, v, vals);
            h.Check(op, s, code);
        }
        h.AssertAllPassed();
    }
}
