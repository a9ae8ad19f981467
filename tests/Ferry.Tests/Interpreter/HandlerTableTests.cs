using System.Reflection;
using Ferry.Interpreter;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Interpreter;

public sealed class HandlerTableTests
{
    /// <summary>The table reads its handlers from a list of classes, not from a scan of the assembly:
    /// every class with a [Handles] or [HandlesCode] method must be on it, or its instructions would be
    /// undefined.</summary>
    [Fact]
    public void FamiliesNameEveryClassWithHandlers()
    {
        var withHandlers = typeof(HandlerTable).Assembly.GetTypes()
            .Where(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Any(m => m.IsDefined(typeof(HandlesAttribute), false) || m.IsDefined(typeof(HandlesCodeAttribute), false)))
            .Select(t => t.FullName!).Order().ToArray();
        Assert.Equal(withHandlers, HandlerTable.Families.Select(t => t.FullName!).Order().ToArray());
    }

    /// <summary>The interpreter's decode path takes its handlers from <see cref="HandlerTable.ForDecoded"/>,
    /// which skips the 64-bit-mode check: for every code that exists in 64-bit mode it must give what
    /// <see cref="HandlerTable.Get"/> gives.</summary>
    [Fact]
    public void ForDecodedAgreesWithGetOnEveryCodeOf64BitMode()
    {
        var differ = Enum.GetValues<Code>().Where(c => c.ToOpCode().Mode64 && HandlerTable.ForDecoded(c) != HandlerTable.Get(c)).ToList();
        Assert.Empty(differ);
        Assert.Contains(Enum.GetValues<Code>(), c => c.ToOpCode().Mode64 && HandlerTable.ForDecoded(c) != HandlerTable.Undefined);
    }

    /// <summary>What <see cref="HandlerTable.ForDecoded"/> relies on: a decoder in 64-bit mode only ever
    /// produces codes that exist in 64-bit mode (checked over random byte strings).</summary>
    [Fact]
    public void The64BitDecoderProducesOnly64BitModeCodes()
    {
        var rng = new Random(6);
        var bytes = new byte[1 << 20];
        rng.NextBytes(bytes);
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(bytes));
        decoder.IP = 0x1000;
        var wrong = new HashSet<Code>();
        int valid = 0;
        while (decoder.IP < 0x1000 + (ulong)bytes.Length - 16)
        {
            decoder.Decode(out var ins);
            if (ins.Code == Code.INVALID) continue;
            valid++;
            if (!ins.Code.ToOpCode().Mode64) wrong.Add(ins.Code);
        }
        Assert.True(valid > 100_000);
        Assert.Empty(wrong);
    }
}
