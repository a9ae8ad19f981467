using Xunit;

namespace Ferry.Tests.Support;

/// <summary>Tests that load a whole guest program into the test process itself: the programs are static
/// non-PIE binaries that all want 0x400000, so two at once fail to map it (ENOMEM). Tests of one collection
/// never run at the same time.</summary>
[CollectionDefinition(Name)]
public sealed class InProcessGuestsCollection
{
    public const string Name = "InProcessGuests";
}
