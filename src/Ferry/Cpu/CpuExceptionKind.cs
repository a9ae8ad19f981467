namespace Ferry.Cpu;

/// <summary>The x86 exceptions a user-mode guest can raise, by vector.</summary>
public enum CpuExceptionKind
{
    DivideError = 0,
    Debug = 1,
    Breakpoint = 3,
    Overflow = 4,
    InvalidOpcode = 6,
    DeviceNotAvailable = 7,
    GeneralProtection = 13,
    PageFault = 14,
    X87Error = 16,
    AlignmentCheck = 17,
    SimdError = 19,
}
