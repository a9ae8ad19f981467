using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Ferry.Cpu;

/// <summary>The architectural state of one guest thread: an unmanaged value with a fixed layout,
/// so that generated code and native test harnesses can address its fields directly.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct CpuState
{
    /// <summary>RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8–R15, in encoding order.</summary>
    public GprFile Gpr;
    /// <summary>The instruction pointer.</summary>
    public ulong Rip;
    /// <summary>RFLAGS, always up to date.</summary>
    public ulong Rflags;
    /// <summary>FS segment base (thread pointer).</summary>
    public ulong FsBase;
    /// <summary>GS segment base.</summary>
    public ulong GsBase;
    /// <summary>YMM0–15, 32 bytes each; XMMn is the low half of YMMn.</summary>
    public VectorFile Vec;
    /// <summary>SSE control and status.</summary>
    public uint Mxcsr;
    /// <summary>x87 control word.</summary>
    public ushort Fcw;
    /// <summary>x87 status word except TOP, which lives in <see cref="FpTop"/>.</summary>
    public ushort Fsw;
    /// <summary>x87 tag bits, one per physical register: set when the register is empty.</summary>
    public byte FpEmpty;
    /// <summary>x87 top-of-stack pointer (0–7).</summary>
    public byte FpTop;
    /// <summary>x87 last opcode (11 bits).</summary>
    public ushort Fop;
    /// <summary>x87 last instruction pointer and data pointer.</summary>
    public ulong FpuIp, FpuDp;
    /// <summary>x87 physical registers R0–R7 (ST(i) is R[(TOP+i) mod 8]); MMX aliases their mantissas.</summary>
    public FpuFile Fpr;
    /// <summary>The selectors in SS, DS, ES, FS and GS as the guest last loaded them (CS is always
    /// <see cref="UserGdt.UserCode"/>: Ferry runs only 64-bit code). Loading FS or GS also sets its base.</summary>
    public ushort Ss, Ds, Es, Fs, Gs;

    public const int Rax = 0, Rcx = 1, Rdx = 2, Rbx = 3, Rsp = 4, Rbp = 5, Rsi = 6, Rdi = 7;

    /// <summary>The XMM view of vector register <paramref name="n"/>.</summary>
    [UnscopedRef]
    public ref Vector128<byte> Xmm(int n) => ref Unsafe.As<ulong, Vector128<byte>>(ref Vec[n * 4]);

    /// <summary>The upper 128 bits of YMM register <paramref name="n"/>.</summary>
    [UnscopedRef]
    public ref Vector128<byte> YmmHigh(int n) => ref Unsafe.As<ulong, Vector128<byte>>(ref Vec[n * 4 + 2]);

    /// <summary>Sets the state a process has at its first instruction, as Linux leaves it.</summary>
    public void Reset()
    {
        this = default;
        Rflags = Flags.Reserved1 | Flags.IF;
        Mxcsr = 0x1F80;
        Fcw = 0x037F;
        FpEmpty = 0xFF;
        Ss = UserGdt.UserData;
    }
}

[InlineArray(16)]
public struct GprFile { private ulong _e; }

[InlineArray(64)]
public struct VectorFile { private ulong _e; }

[InlineArray(8)]
public struct FpuFile { private Float80 _e; }
