using System.Runtime.InteropServices;
using Ferry.Host;

namespace Ferry.MemoryModel;

/// <summary>What the host offers for total store ordering. x86-64 hosts are TSO by architecture. On ARM64,
/// Apple's and Asahi's kernels let a thread switch its CPU to TSO with prctl(PR_SET_MEM_MODEL); the probe
/// tries PR_GET_MEM_MODEL, then always PR_SET_MEM_MODEL and trusts only the latter (Apple's patch has no GET
/// and answers EOPNOTSUPP where unsupported; mainline answers EINVAL).</summary>
public static class HostTso
{
    /// <summary>PR_SET_MEM_MODEL ("MMDL"), PR_GET_MEM_MODEL ("mMDL"); the old value 71 must never be used.</summary>
    public const int PrSetMemModel = 0x4d4d444c, PrGetMemModel = 0x6d4d444c;
    public const ulong PrSetMemModelDefault = 0, PrSetMemModelTso = 1;

    /// <summary>The result of probing the calling thread.</summary>
    public readonly record struct Probe(bool ArchitectureIsTso, int GetResult, int GetErrno, int SetResult, int SetErrno)
    {
        /// <summary>True when guest code gets TSO from the hardware, by architecture or by prctl.</summary>
        public bool Available => ArchitectureIsTso || SetResult == 0;

        public string Describe() =>
            ArchitectureIsTso ? "yes (x86-64 is TSO by architecture)"
            : SetResult == 0 ? $"yes (prctl PR_SET_MEM_MODEL accepted; PR_GET_MEM_MODEL {(GetResult >= 0 ? $"= {GetResult}" : $"failed with errno {GetErrno}")})"
            : $"no (prctl PR_SET_MEM_MODEL failed with errno {SetErrno}{(SetErrno == 95 ? ", EOPNOTSUPP: the kernel knows the call but this CPU cannot" : SetErrno == 22 ? ", EINVAL: the kernel does not offer it" : "")})";
    }

    /// <summary>Probes on the calling thread. On ARM64 a successful probe leaves the thread in TSO mode, which
    /// is harmless: it only strengthens ordering.</summary>
    public static Probe ProbeThread()
    {
        if (RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86)
            return new Probe(true, 0, 0, 0, 0);
        int get = LibC.Prctl(PrGetMemModel, 0, 0, 0, 0);
        int getErr = get < 0 ? LibC.Errno : 0;
        int set = LibC.Prctl(PrSetMemModel, PrSetMemModelTso, 0, 0, 0);
        int setErr = set < 0 ? LibC.Errno : 0;
        return new Probe(false, get, getErr, set, setErr);
    }

    /// <summary>Switches the calling thread to hardware TSO; the errno on failure, else 0.</summary>
    public static int EnableOnThread()
    {
        if (RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86) return 0;
        return LibC.Prctl(PrSetMemModel, PrSetMemModelTso, 0, 0, 0) < 0 ? LibC.Errno : 0;
    }
}
