namespace Ferry.Cpu;

/// <summary>The outcome of comparing two floating-point values (x87 and SSE alike).</summary>
public enum Ordering : byte { Less, Equal, Greater, Unordered }
