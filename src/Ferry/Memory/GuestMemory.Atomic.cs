namespace Ferry.Memory;

// Locked read-modify-write accesses (LOCK prefix, XCHG with memory, CMPXCHG*). Aligned accesses
// use the host's atomic instructions; a misaligned locked access (rare, and split-locked on real
// hardware) falls back to a plain read-modify-write under a process-wide lock.
public sealed unsafe partial class GuestMemory
{
    private static readonly Lock SplitLock = new();

    /// <summary>Atomically replaces the <paramref name="size"/>-byte value at <paramref name="a"/> with
    /// <paramref name="value"/> if it equals <paramref name="expected"/>; returns the value found.</summary>
    public ulong CompareExchange(ulong a, int size, ulong expected, ulong value)
    {
        CheckRead(a, size);
        CheckWrite(a, size);
        if ((a & (ulong)(size - 1)) == 0)
        {
            return size switch
            {
                1 => Interlocked.CompareExchange(ref *(byte*)a, (byte)value, (byte)expected),
                2 => Interlocked.CompareExchange(ref *(ushort*)a, (ushort)value, (ushort)expected),
                4 => Interlocked.CompareExchange(ref *(uint*)a, (uint)value, (uint)expected),
                _ => Interlocked.CompareExchange(ref *(ulong*)a, value, expected),
            };
        }
        lock (SplitLock)
        {
            ulong old = Read(a, size);
            if (old == expected) Write(a, size, value);
            return old;
        }
    }

    /// <summary>Atomically stores <paramref name="value"/> and returns the previous value.</summary>
    public ulong Exchange(ulong a, int size, ulong value)
    {
        CheckRead(a, size);
        CheckWrite(a, size);
        if ((a & (ulong)(size - 1)) == 0)
        {
            return size switch
            {
                1 => Interlocked.Exchange(ref *(byte*)a, (byte)value),
                2 => Interlocked.Exchange(ref *(ushort*)a, (ushort)value),
                4 => Interlocked.Exchange(ref *(uint*)a, (uint)value),
                _ => Interlocked.Exchange(ref *(ulong*)a, value),
            };
        }
        lock (SplitLock)
        {
            ulong old = Read(a, size);
            Write(a, size, value);
            return old;
        }
    }

    /// <summary>16-byte compare-exchange for CMPXCHG16B (the address is 16-byte aligned). .NET has no
    /// 128-bit CAS, so it is serialised with the other split accesses.</summary>
    public bool CompareExchange128(ulong a, ref UInt128 expected, UInt128 value)
    {
        CheckRead(a, 16);
        CheckWrite(a, 16);
        lock (SplitLock)
        {
            var cur = *(UInt128*)a;
            if (cur == expected) { *(UInt128*)a = value; return true; }
            expected = cur;
            return false;
        }
    }
}
